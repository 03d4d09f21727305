// Sample 04: bank transfer with per-account mutexes, called both ways.
//
// What goes wrong: transfer(From, To) locks From.mu, then To.mu. payRent()
// moves money from alice to bob (alice.mu -> bob.mu) while refund() moves it
// from bob to alice (bob.mu -> alice.mu). Run at the same time, each thread
// holds one account's lock and waits for the other's: deadlock. The code of
// transfer() alone looks fine; the cycle appears only when its arguments are
// substituted at the two call sites, which is what lockgraph's static half
// does, and what the run-time half sees as two lock instances.
//
// This run never hangs: refund() starts only after payRent() is done (a latch,
// not a lock), yet both orders are recorded, so the cycle is reported.
//
// Fixed twin: transfer_fixed.cpp locks both accounts with std::scoped_lock.
// Check: lockgraph-lock-order (static and run time).
#include <cstdio>
#include <latch>
#include <mutex>
#include <thread>

struct Account {
  int Id;
  long Balance; // guarded by mu
  std::mutex mu;
};

Account alice{1, 100, {}};
Account bob{2, 100, {}};

// Moves Amount from From to To.
void transfer(Account &From, Account &To, long Amount) {
  std::lock_guard<std::mutex> FromLock(From.mu);
  std::lock_guard<std::mutex> ToLock(To.mu); // BUG: order depends on the
  From.Balance -= Amount;                    // caller's argument order
  To.Balance += Amount;
}

void payRent() { transfer(alice, bob, 30); } // alice.mu -> bob.mu
void refund() { transfer(bob, alice, 10); }  // bob.mu -> alice.mu

int main() {
  std::latch RentPaid(1);
  std::thread Tenant([&] {
    payRent();
    RentPaid.count_down();
  });
  std::thread Landlord([&] {
    RentPaid.wait(); // sequenced: the sample must never really deadlock
    refund();
  });
  Tenant.join();
  Landlord.join();
  std::printf("transfer: alice %ld, bob %ld\n", alice.Balance, bob.Balance);
  return 0;
}
