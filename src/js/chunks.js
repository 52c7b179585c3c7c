// The lazy screens' chunk loaders (xtask/README.md, "Lazy screens"). The main module imports one function per split
// group from __CHUNK_MODULE__ and calls it with a table index and a pointer: fetch and instantiate every chunk the
// group needs, then call the table entry with the pointer and whether that worked. Chunks import the main module's
// memory, table and stack pointer as `__wasm_split`. A chunk is fetched once; a failed fetch is tried again next time.
// Both engines' tables answer `get(index)` (wasm2js's is an array with a `get`).

/**
 * @param {{groups: Record<string, number[]>, names: string[], stylesheet: string}} manifest per loader, the indices
 *   of the chunks it needs in the list of chunk names (each chunk is `/assets/<name>.wasm` in one engine,
 *   `/assets/<name>.wasm.js` in the other); the lazy screens' stylesheet, which every loader waits for too
 * @param {'wasm' | 'js'} engine whose files to load
 * @param {() => object} mainExports the main module's exports (called only after it is instantiated)
 * @param {(url: string, imports: object) => Promise<unknown>} instantiate one engine's way to start a chunk
 */
export function chunkLoaders(manifest, engine, mainExports, instantiate) {
  // The lazy screens' stylesheet, added to the page with the first group that loads; removed again if it failed, so
  // that the next attempt adds it anew.
  let stylesheet;
  const loadStylesheet = () =>
    (stylesheet ??= new Promise((resolve, reject) => {
      const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: manifest.stylesheet });
      link.onload = resolve;
      link.onerror = () => {
        link.remove();
        stylesheet = null;
        reject(new Error('GET ' + manifest.stylesheet + ' failed'));
      };
      document.head.append(link);
    }));
  const started = new Map();
  const load = (index) => {
    const url = `/assets/${manifest.names[index]}.${engine === 'js' ? 'wasm.js' : 'wasm'}`;
    let pending = started.get(url);
    if (!pending) {
      pending = instantiate(url, { __wasm_split: mainExports() });
      pending.catch(() => started.get(url) === pending && started.delete(url));
      started.set(url, pending);
    }
    return pending;
  };
  const loaders = {};
  for (const [name, chunks] of Object.entries(manifest.groups)) {
    loaders[name] = (callbackIndex, callbackData) => {
      Promise.all([loadStylesheet(), ...chunks.map(load)])
        .then(
          () => true,
          (e) => {
            console.error('A screen of the sign-in page failed to load', e);
            return false;
          },
        )
        .then((ok) => mainExports().__indirect_function_table.get(callbackIndex)(callbackData, ok));
    };
  }
  return loaders;
}
