//===- Checks.cpp - The list of lockgraph checks and their help -----------===//
//
// One table for every check of both halves: SARIF rule metadata, the
// `--list-checks` output and the docs test all read it.
//
//===----------------------------------------------------------------------===//
#include "lockgraph/core/Reporters.h"

#include <algorithm>

namespace lockgraph {

const std::vector<CheckInfo> &knownChecks() {
  static const std::vector<CheckInfo> Checks = {
      {"lockgraph-blocking-under-lock",
       "a lock is held across a blocking call",
       "A thread holds a lock while it calls something that can block for a "
       "long or unbounded time (file or socket I/O, sleep, join, waiting on a "
       "future or on a condition variable tied to another lock). Every other "
       "thread that needs the lock stalls behind the I/O. Copy what you need "
       "under the lock and do the blocking call after releasing it. See "
       "docs/checks/lockgraph-blocking-under-lock.md."},
      {"lockgraph-cond-wait-no-loop",
       "a condition variable wait is not in a loop that re-checks a predicate",
       "Condition variable waits can wake up spuriously and a notification "
       "sent before the wait is lost; wait in a loop on the predicate, or use "
       "the overload that takes one. See "
       "docs/checks/lockgraph-cond-wait-no-loop.md."},
      {"lockgraph-deadlock", "threads deadlocked at run time",
       "Threads were blocked on each other's locks at run time: a real "
       "deadlock, reported by the runtime's watchdog with every thread's "
       "stack. See docs/checks/lockgraph-deadlock.md."},
      {"lockgraph-stall",
       "a thread is blocked behind a lock held across a long blocking call",
       "At run time a thread waited stall_seconds (default 10) in a lock call "
       "for a lock whose holder had been as long in a blocking call (a "
       "condition-variable wait, I/O, a join): a hang in progress, reported "
       "by the runtime's watchdog while it lasts, with the holder's blocking "
       "call, where it took the lock, and where the other thread waits. See "
       "docs/checks/lockgraph-stall.md."},
      {"lockgraph-destroy-held", "a lock is destroyed while it is held",
       "A mutex or rwlock was destroyed while a thread still held it, which "
       "is undefined behaviour. See docs/checks/lockgraph-destroy-held.md."},
      {"lockgraph-double-lock",
       "a non-recursive lock is acquired by a thread that already holds it",
       "Locking a non-recursive mutex twice on one thread deadlocks the "
       "thread on itself (or is undefined behaviour). See "
       "docs/checks/lockgraph-double-lock.md."},
      {"lockgraph-lock-order",
       "locks are acquired in an order that forms a cycle (potential deadlock)",
       "Two or more locks are acquired in inconsistent orders: each edge A -> B "
       "means B was acquired while A was held, and a cycle means the threads "
       "taking those edges can deadlock, even if they did not this time. Fix by "
       "acquiring the locks in one global order, or together with "
       "std::scoped_lock. See docs/checks/lockgraph-lock-order.md."},
      {"lockgraph-missing-unlock",
       "a lock is still held when the function returns on some path",
       "A function acquires a lock and returns on some path without releasing "
       "it, although it is not meant to return holding it. Use a scoped guard. "
       "See docs/checks/lockgraph-missing-unlock.md."},
      {"lockgraph-race",
       "a shared variable is accessed without the lock that guards it elsewhere",
       "A field or global that is accessed under a lock elsewhere (or declared "
       "GUARDED_BY it) is written here without that lock, from code reachable "
       "from more than one thread. See docs/checks/lockgraph-race.md."},
      {"lockgraph-unlock-unheld", "a lock is released that is not held",
       "A thread releases a lock it does not hold, which is undefined "
       "behaviour for pthread mutexes and std::mutex. See "
       "docs/checks/lockgraph-unlock-unheld.md."},
      {"lockgraph-wait-holding-lock",
       "a thread waits (condition variable, join, future) while holding a lock",
       "A thread waits for another thread while holding a lock that thread "
       "may need, which closes a deadlock cycle. See "
       "docs/checks/lockgraph-wait-holding-lock.md."},
  };
  return Checks;
}

CheckInfo checkInfo(std::string_view Check) {
  const auto &Checks = knownChecks();
  auto It = std::find_if(Checks.begin(), Checks.end(),
                         [&](const CheckInfo &C) { return C.Name == Check; });
  if (It != Checks.end())
    return *It;
  return {Check, "lockgraph finding", "See docs/checks.md."};
}

} // namespace lockgraph
