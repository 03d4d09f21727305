// lock_microbench: N threads x M iterations, each taking K mutexes in a fixed
// order (no cycle: a detector must stay silent). Prints the wall time in
// seconds on stdout, so that bench/runtime/run_runtime_bench.sh can compare
// native, preloaded, ThreadSanitizer and Helgrind runs side by side.
//
//   lock_microbench [threads=2] [iterations=1000000] [mutexes=4]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

int main(int argc, char **argv) {
  int Threads = argc > 1 ? atoi(argv[1]) : 2;
  long Iters = argc > 2 ? atol(argv[2]) : 1000000;
  int K = argc > 3 ? atoi(argv[3]) : 4;
  std::vector<std::mutex> Mu(K);
  volatile long Counter = 0;
  auto Start = std::chrono::steady_clock::now();
  std::vector<std::thread> Ts;
  for (int T = 0; T < Threads; ++T)
    Ts.emplace_back([&] {
      for (long I = 0; I < Iters; ++I) {
        for (int J = 0; J < K; ++J)
          Mu[J].lock();
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
  return Counter == long(Threads) * Iters ? 0 : 1;
}
