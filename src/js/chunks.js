// The lazy screens' chunk loaders (xtask/README.md, "Lazy screens"). The main module imports one function per split
// group from __CHUNK_MODULE__ and calls it with a table index and a pointer: fetch and instantiate every chunk the
// group needs, then call the table entry with the pointer and whether that worked. Chunks import the main module's
// memory, table and stack pointer as `__wasm_split`. A chunk is fetched once; a failed fetch is tried again next time.
// Both engines' tables answer `get(index)` (wasm2js's is an array with a `get`).

/**
 * @param {Record<string, string[]>} manifest per loader, the URLs of the chunks it needs (one engine's files)
 * @param {() => object} mainExports the main module's exports (called only after it is instantiated)
 * @param {(url: string, imports: object) => Promise<unknown>} instantiate one engine's way to start a chunk
 */
export function chunkLoaders(manifest, mainExports, instantiate) {
  const started = new Map();
  const load = (url) => {
    let pending = started.get(url);
    if (!pending) {
      pending = instantiate(url, { __wasm_split: mainExports() });
      pending.catch(() => started.get(url) === pending && started.delete(url));
      started.set(url, pending);
    }
    return pending;
  };
  const loaders = {};
  for (const [name, urls] of Object.entries(manifest)) {
    loaders[name] = (callbackIndex, callbackData) => {
      Promise.all(urls.map(load))
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
