// The program behind three-lock-cycle.json: three stages, each locking its own
// queue and then the next stage's. No two threads ever invert a pair of locks,
// so no two-lock check can see it, yet intake -> parse -> store -> intake is a
// cycle: with the wrong interleaving all three threads wait forever.
#include <mutex>
#include <thread>

std::mutex intake_mu;
std::mutex parse_mu;
std::mutex store_mu;

void intake_stage() {
  std::lock_guard<std::mutex> own(intake_mu);
  std::lock_guard<std::mutex> next(parse_mu);
}

void parse_stage() {
  std::lock_guard<std::mutex> own(parse_mu);
  std::lock_guard<std::mutex> next(store_mu);
}

void store_stage() {
  std::lock_guard<std::mutex> own(store_mu);
  std::lock_guard<std::mutex> next(intake_mu);
}

int main() {
  // One after the other: the order is recorded, the hang never happens.
  std::thread(intake_stage).join();
  std::thread(parse_stage).join();
  std::thread(store_stage).join();
}
