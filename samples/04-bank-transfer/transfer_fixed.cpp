// Sample 04, fixed: bank transfer with per-account mutexes, called both ways.
//
// The bug (transfer.cpp): transfer(From, To) locked From.mu, then To.mu, so
// transfer(alice, bob) and transfer(bob, alice) took the two locks in opposite
// orders.
//
// Why the fix works: std::scoped_lock(From.mu, To.mu) acquires both mutexes
// with std::lock's deadlock-avoidance algorithm: it blocks on one lock while
// holding none, and only try-locks the other (backing off on failure), so no
// thread ever waits for a lock while holding another, whatever the argument
// order. Ordering by account id (lock the lower Id first) works too.
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

// Moves Amount from From to To. From and To must be different accounts.
void transfer(Account &From, Account &To, long Amount) {
  std::scoped_lock BothLocks(From.mu, To.mu); // FIX: both at once, no order
  From.Balance -= Amount;
  To.Balance += Amount;
}

void payRent() { transfer(alice, bob, 30); }
void refund() { transfer(bob, alice, 10); }

int main() {
  std::latch RentPaid(1);
  std::thread Tenant([&] {
    payRent();
    RentPaid.count_down();
  });
  std::thread Landlord([&] {
    RentPaid.wait(); // same schedule as transfer.cpp
    refund();
  });
  Tenant.join();
  Landlord.join();
  std::printf("transfer: alice %ld, bob %ld\n", alice.Balance, bob.Balance);
  return 0;
}
