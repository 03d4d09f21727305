// lock_microbench: N threads x M iterations, each taking K mutexes in a fixed
// order (no cycle: a detector must stay silent). Prints the wall time in
// seconds on stdout, so that bench/runtime/run_runtime_bench.sh can compare
// native, preloaded, ThreadSanitizer and Helgrind runs side by side.
//
//   lock_microbench [threads=2] [iterations=1000000] [mutexes=4]
//                   [private|hashed|server|cold|cycled|maintainer|retiring]
//
// With "private" every thread takes its own K mutexes: no contention, so the
// time is the per-operation cost of the locks (and of a detector's hooks)
// rather than of the hand-offs between threads, which any extra work
// between an unlock and the next lock multiplies.
//
// With "hashed" (K is not used) every iteration takes one of 4,096 "item"
// mutexes picked by a hash and, under it, one of 64 "class" mutexes, as
// memcached's workers do: the threads keep meeting lock pairs they have
// not taken before (262,144 of them), where a detector that records pairs
// per instance pays most.
//
// With "server" (K is not used) every iteration is a request as a cache
// server's worker makes it: one of 4,096 item mutexes with, under it, one
// of 64 class mutexes; then the thread's own statistics mutex; another item
// mutex alone; the statistics mutex again from another call site. The
// outermost lock changes four times per request, and the same mutex comes
// from two call chains, so a detector that keeps only the last acquisition
// at each depth pays its full path on every lock.
//
// With "cold", as "server", and after each request the thread also writes
// one byte in each line of a 64 KiB buffer of its own, more than a core's
// first-level data cache: what a real server's system calls do between its
// requests (the kernel's network stack runs on the same core), so that each
// request finds its own and a detector's data evicted. Its time is mostly
// that buffer's; what it is for is counting the cache misses a detector
// adds per request (lock_bench.py --instructions), which a server pays.
//
// With "cycled" (K is not used) every thread holds its own mutex and, under
// it, takes the next of 256 shared mutexes in turn, as memcached's LRU
// maintainer does with its LRU locks: the same few hundred pairs again and
// again, but never the same pair twice in a row.
//
// With "maintainer" (K is not used) every thread works as memcached's LRU
// maintainer does, holding its own mutex throughout (released every 64
// iterations, where memcached's sleeps): it locks the next of 64 shared
// "LRU" mutexes, tries one of 4,096 item mutexes under it, releases the LRU
// mutex first (out of order) and, still holding the item, locks another LRU
// mutex to move the item there. The item pairs are too many to record, the
// LRU ones are the same few again and again.
//
// With "retiring", as "private", and every 16th iteration also makes a
// std::mutex on the heap under its K mutexes, locks it and deletes it, as a
// server may do with a request's object: a detector then has to tell a new
// lock at a freed lock's address from the old one, without forgetting what
// it knew of the other locks (the other threads' included).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace {
/// splitmix64 of (thread, iteration): which locks a hashed request takes,
/// the same sequence every run.
unsigned long long requestHash(long Iteration, int Thread) {
  unsigned long long X =
      (unsigned long long)(Iteration + 1) * 0x9E3779B97F4A7C15ULL + Thread;
  X = (X ^ (X >> 30)) * 0xBF58476D1CE4E5B9ULL;
  X = (X ^ (X >> 27)) * 0x94D049BB133111EBULL;
  return X ^ (X >> 31);
}

// The server shape's call sites: distinct functions, as a server's are.
__attribute__((noinline)) void countRequest(std::mutex &Stats, long &N) {
  std::lock_guard<std::mutex> G(Stats);
  ++N;
}
__attribute__((noinline)) void countBytes(std::mutex &Stats, long &N) {
  std::lock_guard<std::mutex> G(Stats);
  N += 2;
}
} // namespace

int main(int argc, char **argv) {
  int Threads = argc > 1 ? atoi(argv[1]) : 2;
  long Iters = argc > 2 ? atol(argv[2]) : 1000000;
  int K = argc > 3 ? atoi(argv[3]) : 4;
  bool Retiring = argc > 4 && std::string_view(argv[4]) == "retiring";
  bool Private =
      argc > 4 && (std::string_view(argv[4]) == "private" || Retiring);
  bool Hashed = argc > 4 && std::string_view(argv[4]) == "hashed";
  bool Cycled = argc > 4 && std::string_view(argv[4]) == "cycled";
  bool Cold = argc > 4 && std::string_view(argv[4]) == "cold";
  bool Server = Cold || (argc > 4 && std::string_view(argv[4]) == "server");
  bool Maintainer = argc > 4 && std::string_view(argv[4]) == "maintainer";
  std::vector<std::mutex> Items(Hashed || Server || Maintainer ? 4096 : 0),
      Classes(Hashed || Server || Maintainer ? 64 : 0);
  struct alignas(64) PaddedStats {
    std::mutex M;
    long N = 0;
  };
  std::vector<PaddedStats> Stats(Server ? Threads : 0);
  struct alignas(64) PaddedMutex {
    std::mutex M;
  };
  std::vector<std::mutex> Cycle(Cycled ? 256 : 0);
  std::vector<PaddedMutex> Holders(Cycled || Maintainer ? Threads : 0);
  std::vector<std::mutex> Shared(K);
  std::vector<std::vector<std::mutex>> Own(Private ? Threads : 0);
  for (auto &M : Own)
    M = std::vector<std::mutex>(K);
  volatile long Counter = 0; // shared mode: guarded by the mutexes
  struct alignas(64) Slot {
    volatile long N = 0;
  };
  std::vector<Slot> Counts(Threads); // private mode: one per thread
  auto Start = std::chrono::steady_clock::now();
  std::vector<std::thread> Ts;
  for (int T = 0; T < Threads; ++T)
    Ts.emplace_back([&, T] {
      std::vector<std::mutex> &Mu = Private ? Own[T] : Shared;
      if (Hashed) {
        for (long I = 0; I < Iters; ++I) {
          const unsigned long long X = requestHash(I, T);
          std::mutex &Item = Items[X % Items.size()];
          std::mutex &Class = Classes[(X >> 32) % Classes.size()];
          Item.lock();
          Class.lock();
          Counts[T].N = Counts[T].N + 1;
          Class.unlock();
          Item.unlock();
        }
        return;
      }
      if (Server) {
        std::vector<char> Evicted(Cold ? 64 * 1024 : 0);
        for (long I = 0; I < Iters; ++I) {
          const unsigned long long X = requestHash(I, T);
          {
            std::lock_guard<std::mutex> Item(Items[X % Items.size()]);
            std::lock_guard<std::mutex> Class(Classes[(X >> 32) % Classes.size()]);
            Counts[T].N = Counts[T].N + 1;
          }
          countRequest(Stats[T].M, Stats[T].N);
          {
            std::lock_guard<std::mutex> Item(Items[(X >> 12) % Items.size()]);
          }
          countBytes(Stats[T].M, Stats[T].N);
          for (size_t B = 0; B < Evicted.size(); B += 64)
            Evicted[B] = char(Evicted[B] + 1);
        }
        return;
      }
      if (Maintainer) {
        Holders[T].M.lock();
        for (long I = 0; I < Iters; ++I) {
          if (I % 64 == 63) {
            Holders[T].M.unlock();
            Holders[T].M.lock();
          }
          const unsigned long long X = requestHash(I, T);
          std::mutex &From = Classes[I % Classes.size()];
          std::mutex &To = Classes[(I + 1) % Classes.size()];
          std::mutex &Item = Items[X % Items.size()];
          From.lock();
          const bool Tried = Item.try_lock();
          From.unlock();
          if (Tried) {
            To.lock();
            Counts[T].N = Counts[T].N + 1;
            To.unlock();
            Item.unlock();
          } else {
            Counts[T].N = Counts[T].N + 1;
          }
        }
        Holders[T].M.unlock();
        return;
      }
      if (Cycled) {
        for (long I = 0; I < Iters; ++I) {
          Holders[T].M.lock();
          std::mutex &Next = Cycle[(I + T * 128) % Cycle.size()];
          Next.lock();
          Counts[T].N = Counts[T].N + 1;
          Next.unlock();
          Holders[T].M.unlock();
        }
        return;
      }
      for (long I = 0; I < Iters; ++I) {
        for (int J = 0; J < K; ++J)
          Mu[J].lock();
        if (Retiring && I % 16 == 0) {
          auto *Request = new std::mutex;
          Request->lock();
          Request->unlock();
          delete Request;
        }
        if (Private)
          Counts[T].N = Counts[T].N + 1;
        else
          Counter = Counter + 1;
        for (int J = K; J-- > 0;)
          Mu[J].unlock();
      }
    });
  for (auto &T : Ts)
    T.join();
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              Start).count();
  printf("%.4f\n", Secs);
  long Total = Counter;
  for (const Slot &C : Counts)
    Total += C.N;
  return Total == long(Threads) * Iters ? 0 : 1;
}
