//! `Future` and `Stream` for wrapped futures and streams (the `futures` feature): polled only on their thread.

use crate::{SendWrapper, WRONG_THREAD_ACCESS};
use futures_core::Stream;
use std::future::Future;
use std::ops::DerefMut;
use std::pin::Pin;
use std::task::{Context, Poll};

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.assert_valid(WRONG_THREAD_ACCESS);
        // Safety: the wrapper never moves the value it holds, so pinning the wrapper pins the value.
        unsafe { self.map_unchecked_mut(Self::deref_mut) }.poll(cx)
    }
}

impl<S: Stream> Stream for SendWrapper<S> {
    type Item = S::Item;

    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.assert_valid(WRONG_THREAD_ACCESS);
        // Safety: as in `poll`.
        unsafe { self.map_unchecked_mut(Self::deref_mut) }.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.data.size_hint()
    }
}
