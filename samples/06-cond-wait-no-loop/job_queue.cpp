// Sample 06: condition-variable wait not in a predicate loop.
//
// What goes wrong: the consumer checks "queue empty?" once, waits, and then
// assumes that being woken means the condition now holds. It does not: a wait
// may return spuriously (POSIX and C++ both allow it), and with several
// consumers another one can take the job between the notify and this thread
// re-acquiring the mutex (a stolen wake-up). Either way the consumer finds
// the queue empty while the producer is not done, takes that for "finished",
// and quits early: jobs are lost. A variant that waits without checking the
// condition first misses a notify sent before it started waiting (a lost
// wake-up) and sleeps forever.
//
// In this single-consumer run the wake-ups happen to be genuine, so the
// program finishes with every job processed; the bug is in the code, not in
// this run.
//
// Fixed twin: job_queue_fixed.cpp uses the predicate form of wait().
// Check: lockgraph-cond-wait-no-loop (static).
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

constexpr int kJobs = 100;

std::mutex queue_mu;
std::condition_variable queue_cv;
std::deque<int> jobs; // guarded by queue_mu
bool done = false;    // guarded by queue_mu

void produce() {
  for (int Job = 1; Job <= kJobs; ++Job) {
    {
      std::lock_guard<std::mutex> Lock(queue_mu);
      jobs.push_back(Job);
    }
    queue_cv.notify_one();
  }
  {
    std::lock_guard<std::mutex> Lock(queue_mu);
    done = true;
  }
  queue_cv.notify_one();
}

// Returns how many jobs it processed.
int consume() {
  int Processed = 0;
  for (;;) {
    std::unique_lock<std::mutex> Lock(queue_mu);
    if (jobs.empty() && !done)
      queue_cv.wait(Lock); // BUG: one check, then trusts the wake-up
    if (jobs.empty())
      break; // "woken and empty" taken to mean "done": wrong after a
             // spurious or stolen wake-up, and the remaining jobs are lost
    jobs.pop_front();
    Lock.unlock();
    ++Processed;
  }
  return Processed;
}

int main() {
  int Processed = 0;
  std::thread Consumer([&] { Processed = consume(); });
  std::thread Producer(produce);
  Producer.join();
  Consumer.join();
  std::printf("job_queue: processed %d of %d jobs\n", Processed, kJobs);
  return 0;
}
