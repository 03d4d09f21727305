// Sample 06, fixed: condition-variable wait not in a predicate loop.
//
// The bug (job_queue.cpp): the consumer checked the condition once, waited,
// and trusted the wake-up, so a spurious or stolen wake-up made it quit early.
//
// Why the fix works: wait(Lock, Pred) is `while (!Pred()) wait(Lock);`. The
// predicate is re-checked under the mutex after every wake-up, so a wake-up
// that does not make it true just waits again, and a notify sent before the
// wait is not lost because the predicate is already true and wait() does not
// block. After the wait the consumer knows "a job is there, or the producer
// is done", whatever woke it.
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
    queue_cv.wait(Lock, [] { return !jobs.empty() || done; }); // FIX
    if (jobs.empty())
      break; // the predicate holds, so empty means done
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
