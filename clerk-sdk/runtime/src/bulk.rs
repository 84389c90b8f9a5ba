//! Bulk operations: one operation over many inputs, a bounded number at once.
//!
//! Clerk has no bulk endpoints (to delete many users, its docs say to loop), and a loop that
//! sends one request after another is slow while one that spawns them all is over the rate
//! limit at once. [`run`] sits between: at most `concurrency` calls in flight, each through
//! the client's [rate limiter and retry quota](crate::limits), and every input's result
//! streamed as it comes, tagged with the input:
//!
//! ```no_run
//! use clerk_sdk::bulk;
//! use clerk_sdk::models::CreatePhoneNumberRequest;
//! use clerk_sdk::pagination::StreamExt;
//!
//! # async fn run(clerk: clerk_sdk::Clerk, numbers: Vec<String>) {
//! let requests: Vec<CreatePhoneNumberRequest> = numbers
//!     .into_iter()
//!     .map(|number| CreatePhoneNumberRequest::new("user_123", number))
//!     .collect();
//! let mut failed = Vec::new();
//! let mut results = bulk::run(requests, 8, |request| clerk.phone_numbers().create(request.clone()));
//! while let Some(done) = results.next().await {
//!     match done.result {
//!         Ok(phone) => println!("#{}: created {}", done.index, phone.phone_number),
//!         Err(error) => failed.push((done.input, error)),
//!     }
//! }
//! // `failed` holds exactly the inputs to look at, or to run again: nothing that succeeded.
//! # }
//! ```
//!
//! - **Nothing twice.** Each input is sent once, by one call; a call retries only as the
//!   client's [`RetryConfig`](crate::RetryConfig) allows, which for a `POST` is only a 429 or a
//!   503, answers Clerk gives before acting. A create that failed otherwise is reported, not
//!   sent again, since it may have been made.
//! - **Resuming.** Results come as they finish, so a program that stops halfway knows which
//!   inputs succeeded; run the failed ones (or those never reached) again with another `run`.
//! - **Order.** Results come in the order calls finish; each carries its input's `index`, for
//!   programs that need input order back. Dropping the stream cancels the calls in flight.

use std::future::{Future, IntoFuture};

use futures_core::Stream;
use futures_util::StreamExt as _;

/// One input's outcome.
#[derive(Debug)]
#[non_exhaustive]
pub struct Done<I, T, E> {
    /// The input's place among the inputs, from 0.
    pub index: usize,
    /// The input.
    pub input: I,
    /// What its call gave.
    pub result: Result<T, E>,
}

/// Runs `operation` on each of `inputs`, at most `concurrency` at once (at least 1), and
/// streams each input's [`Done`] as its call finishes. See the [module docs](self).
///
/// `operation` makes the call from the input: a generated operation, such as
/// `|request| clerk.phone_numbers().create(request.clone())`, or any future giving a
/// `Result`.
pub fn run<I, C, T, E>(
    inputs: impl IntoIterator<Item = I>,
    concurrency: usize,
    mut operation: impl FnMut(&I) -> C,
) -> impl Stream<Item = Done<I, T, E>>
where
    C: IntoFuture<Output = Result<T, E>>,
{
    futures_util::stream::iter(inputs.into_iter().enumerate())
        .map(move |(index, input)| {
            let call = operation(&input).into_future();
            done(index, input, call)
        })
        .buffer_unordered(concurrency.max(1))
}

async fn done<I, T, E>(index: usize, input: I, call: impl Future<Output = Result<T, E>>) -> Done<I, T, E> {
    Done {
        index,
        input,
        result: call.await,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn every_input_gets_its_result_once_with_no_more_than_the_concurrency_in_flight() {
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let results: Vec<Done<u64, u64, String>> = run(0..100u64, 7, |&n| {
            let (in_flight, most) = (in_flight.clone(), most.clone());
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // Later inputs finish first, so results come out of input order.
                tokio::time::sleep(Duration::from_millis(100 - n)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                if n % 10 == 3 {
                    Err(format!("input {n} refused"))
                } else {
                    Ok(n * 2)
                }
            }
        })
        .collect()
        .await;
        assert_eq!(most.load(Ordering::SeqCst), 7);
        let mut indexes: Vec<usize> = results.iter().map(|done| done.index).collect();
        assert_ne!(indexes, (0..100).collect::<Vec<_>>(), "results come as they finish");
        indexes.sort_unstable();
        assert_eq!(indexes, (0..100).collect::<Vec<_>>());
        for done in &results {
            assert_eq!(done.input, done.index as u64);
            match &done.result {
                Ok(doubled) => assert_eq!(*doubled, done.input * 2),
                Err(reason) => assert_eq!(reason, &format!("input {} refused", done.input)),
            }
        }
        assert_eq!(results.iter().filter(|done| done.result.is_err()).count(), 10);
    }

    #[tokio::test]
    async fn a_concurrency_of_zero_still_runs_one_at_a_time() {
        let results: Vec<Done<u8, u8, ()>> = run([1u8, 2, 3], 0, |&n| async move { Ok(n) }).collect().await;
        assert_eq!(results.iter().map(|done| done.index).collect::<Vec<_>>(), [0, 1, 2]);
    }
}
