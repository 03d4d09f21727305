//===- Deadlocks.h - Cycles in the lock graph and their filters -*- C++ -*-===//
//
// Cycle detection is Boost.Graph's: strong_components, then elementary
// circuits (hawick_unique_circuits) inside each non-trivial component, bounded
// so that a dense graph cannot explode. Components too large for circuit
// enumeration get the shortest cycle through each of their first vertices by
// breadth-first search instead.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CORE_DEADLOCKS_H
#define LOCKGRAPH_CORE_DEADLOCKS_H

#include "lockgraph/core/LockGraph.h"

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lockgraph {

/// Check names. Stable: users write them in NOLINT comments and configs.
inline constexpr const char *LockOrderCheck = "lockgraph-lock-order";
/// A cycle through a wait node (condition variable, joined thread): a thread
/// waits while holding a lock that whoever ends the wait needs.
inline constexpr const char *WaitHoldingLockCheck = "lockgraph-wait-holding-lock";
/// Whether findings of \p Check are computed from graph cycles (and so
/// are drawn as cycles and never stored as recorded findings).
inline bool isCycleCheck(std::string_view Check) {
  return Check == LockOrderCheck || Check == WaitHoldingLockCheck;
}

struct CycleOptions {
  /// Longest cycle reported, in locks; 0 means no limit.
  unsigned MaxCycleLength = 0;
  /// Most cycles reported per strongly connected component.
  unsigned MaxCyclesPerComponent = 64;
  /// Components with more locks than this are searched by BFS for the
  /// shortest cycle through each lock instead of full enumeration.
  unsigned MaxEnumeratedComponentSize = 2048;
};

/// An elementary cycle: Locks[i] -> Locks[i+1] -> ... -> Locks[0], with
/// Edges[i] the index in LockGraph::edges() of Locks[i] -> Locks[i+1].
/// Rotated so that Locks[0] is the smallest lock name, so a cycle is
/// reported once however it was found.
struct Cycle {
  std::vector<LockId> Locks;
  std::vector<size_t> Edges;
};

/// All elementary cycles within the caps, each once, shortest first (ties:
/// by lock names), deterministic for a given graph.
std::vector<Cycle> findCycles(const LockGraph &G, const CycleOptions &Opts = {});

struct FilterOptions {
  bool SingleThread = true; ///< every edge seen only in the same one thread
  bool GateLock = true;     ///< one lock held at every edge of the cycle
  bool TryLock = true;      ///< an edge only ever try-acquired cannot block
  bool ReadRead = true;     ///< a lock held shared and wanted shared
  /// Two edges of the cycle whose every observation a thread start or join
  /// puts before every observation of the other (LockGraph::threadOrders):
  /// they never overlap, as a deadlock needs.
  bool StartJoin = true;
  /// A join made while holding a lock only ever in a hold that began with a
  /// condition-variable wait on that lock (EdgeEvidence::HeldSinceWait), or
  /// of a thread whose last hold of the lock notified a condition variable
  /// (EdgeEvidence::JoinedThreadDone): the thread said under the lock that
  /// it was done with it.
  bool Handshake = true;
  /// A cycle that contains the edge a shorter reported cycle's fix
  /// reverses (its least-seen edge): the same change breaks it, so it is a
  /// note of that finding's story rather than a finding of its own.
  bool SameFix = true;
};

/// Why \p C is not a potential deadlock, or an empty string if it is one.
/// Reasons are stable phrases: "single thread: ...", "gate lock 'G' ...",
/// "trylock: ...", "timed wait: ...", "read-read: ...", "start/join order:
/// ...", "handshake: ..." (findDeadlocks adds
/// "same fix: ...").
std::string suppressionReason(const LockGraph &G, const Cycle &C,
                              const FilterOptions &Opts = {});

struct DeadlockOptions {
  CycleOptions Cycles;
  FilterOptions Filters;
};

/// Cycles of \p G as lockgraph-lock-order findings (lockgraph-wait-holding-lock
/// when the cycle goes through a wait node), filtered ones included
/// with SuppressedBy set. Each finding has one note per edge: where the
/// second lock was taken while holding the first (with the call chain or
/// stack below it), and where the first was taken.
std::vector<Finding> findDeadlocks(const LockGraph &G,
                                   const DeadlockOptions &Opts = {});

/// The edges one process recorded, as the (from, to) names their locks
/// have in the graph merged by lock class.
using ProcessEdges = std::set<std::pair<std::string, std::string>>;

/// findDeadlocks for a graph merged by lock class from several processes'
/// graphs (LockGraph::merge with each Lock::Class as the alias): only the
/// cycles that no one process saw all edges of. \p EdgesOfProcess gives
/// each process's edges (not \p G's evidence, whose threads a merge of
/// hundreds of processes keeps only some of); an edge with evidence
/// without a thread (the static half) counts for every process. A cycle
/// one process saw whole is that process's graph's to report, with its
/// filters and between its lock instances: there, `a1 -> b1` and
/// `b2 -> a2` on two objects are no cycle, nor `a -> b` and `b -> a` in
/// one thread.
std::vector<Finding> findCrossProcessDeadlocks(const LockGraph &G,
                                               const std::vector<ProcessEdges> &EdgesOfProcess,
                                               const DeadlockOptions &Opts = {});

/// The finding for one cycle (used by findDeadlocks and by tools that
/// report a single cycle, such as the runtime's real-deadlock watchdog).
Finding makeCycleFinding(const LockGraph &G, const Cycle &C);

/// Edges that go against a declared lock hierarchy: \p Order lists lock
/// names in the order they must be acquired, so acquiring an earlier lock
/// while holding a later one is reported (lockgraph-lock-order) even when no
/// cycle closes. Locks not in \p Order are unconstrained.
std::vector<Finding> findOrderViolations(const LockGraph &G,
                                         const std::vector<std::string> &Order);

} // namespace lockgraph

#endif // LOCKGRAPH_CORE_DEADLOCKS_H
