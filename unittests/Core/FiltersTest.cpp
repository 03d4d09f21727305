#include "TestGraphs.h"

#include "lockgraph/core/Deadlocks.h"

#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {
/// The suppression reason of the only cycle in the graph.
std::string reasonOf(GraphBuilder &B, FilterOptions Opts = {}) {
  auto Cycles = findCycles(B.graph());
  EXPECT_EQ(Cycles.size(), 1u);
  return Cycles.empty() ? "<no cycle>" : suppressionReason(B.graph(), Cycles[0], Opts);
}
constexpr auto Shared = AcquireMode::Shared;
constexpr auto Exclusive = AcquireMode::Exclusive;
} // namespace

TEST(FiltersTest, TwoThreadsInvertingAnOrderIsReported) {
  GraphBuilder B;
  B.edge("A", "B", 0).edge("B", "A", 1);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, SingleThreadCycleIsNotADeadlock) {
  GraphBuilder B;
  B.edge("A", "B", 3).edge("B", "A", 3);
  EXPECT_EQ(reasonOf(B).rfind("single thread: every edge of the cycle was seen only in "
                              "thread 'T3'",
                              0),
            0u)
      << reasonOf(B);
  FilterOptions Off;
  Off.SingleThread = false;
  EXPECT_EQ(reasonOf(B, Off), "");
}

TEST(FiltersTest, UnknownThreadsAreNotOneThread) {
  // The static analyzer does not know threads: its cycles must stand.
  GraphBuilder B;
  EdgeEvidence E;
  B.graph().addEdge(B.lock("A"), B.lock("B"), E);
  B.graph().addEdge(B.lock("B"), B.lock("A"), E);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, GateLockHeldAtEveryEdgeSuppresses) {
  GraphBuilder B;
  B.edge("A", "B", 0, {"G"}).edge("B", "A", 1, {"G", "H"});
  EXPECT_NE(reasonOf(B).find("gate lock: 'G' is held at every edge"), std::string::npos)
      << reasonOf(B);
}

TEST(FiltersTest, GateLockMissingOnceDoesNotSuppress) {
  GraphBuilder B;
  B.edge("A", "B", 0, {"G"}).edge("B", "A", 1, {"G"}).edge("B", "A", 2, {});
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, DifferentGateLocksDoNotSuppress) {
  GraphBuilder B;
  B.edge("A", "B", 0, {"G"}).edge("B", "A", 1, {"H"});
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, TryLockEdgeCannotCloseACycle) {
  GraphBuilder B;
  B.edge("A", "B", 0).edge("B", "A", 1, {}, /*Try=*/true);
  EXPECT_NE(reasonOf(B).find("trylock: 'A' is only ever try-acquired while holding 'B'"),
            std::string::npos)
      << reasonOf(B);
  // Once the same edge is also taken with a blocking lock, it counts.
  B.edge("B", "A", 2);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, ReadReadOnAnRwLockDoesNotDeadlock) {
  GraphBuilder B;
  B.lock("rw", LockKind::RwLock);
  // T0 holds A and wants rw shared; T1 holds rw shared and wants A.
  B.edge("A", "rw", 0, {}, false, Exclusive, Shared).edge("rw", "A", 1, {}, false, Shared, Exclusive);
  EXPECT_NE(reasonOf(B).find("read-read: 'rw'"), std::string::npos) << reasonOf(B);
}

TEST(FiltersTest, ReaderAgainstWriterStillDeadlocks) {
  GraphBuilder B;
  B.lock("rw", LockKind::RwLock);
  B.edge("A", "rw", 0, {}, false, Exclusive, Shared).edge("rw", "A", 1, {}, false, Exclusive, Exclusive);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, FindDeadlocksKeepsFilteredCyclesWithTheirReason) {
  GraphBuilder B;
  B.edge("A", "B", 0).edge("B", "A", 1);      // real
  B.edge("X", "Y", 2).edge("Y", "X", 2);      // single thread
  auto Findings = findDeadlocks(B.graph());
  ASSERT_EQ(Findings.size(), 2u);
  EXPECT_EQ(Findings[0].Locks, (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(Findings[0].SuppressedBy.empty());
  EXPECT_EQ(Findings[1].Locks, (std::vector<std::string>{"X", "Y"}));
  EXPECT_FALSE(Findings[1].SuppressedBy.empty());
}

TEST(FiltersTest, CycleFindingShowsBothAcquisitionsOfEveryEdge) {
  GraphBuilder B;
  B.edge("A", "B", 0).edge("B", "A", 1);
  auto Findings = findDeadlocks(B.graph());
  ASSERT_EQ(Findings.size(), 1u);
  const Finding &F = Findings[0];
  EXPECT_EQ(F.Check, "lockgraph-lock-order");
  EXPECT_EQ(F.Message, "potential deadlock: lock order cycle A -> B -> A");
  EXPECT_EQ(F.Origin, "runtime");
  // Per edge: held-at (1 frame) + acquired-at (2 frames: site + caller).
  ASSERT_EQ(F.Notes.size(), 6u);
  EXPECT_EQ(F.Notes[0].Message, "'A' acquired here");
  EXPECT_EQ(F.Notes[1].Message, "'B' acquired here while holding 'A' in thread 'T0'");
  EXPECT_EQ(F.Notes[2].Message, "'f_AB' called here");
  EXPECT_EQ(F.Notes[2].Where.File, "main.cc");
  EXPECT_EQ(F.Notes[3].Message, "'B' acquired here");
  EXPECT_EQ(F.Notes[4].Message, "'A' acquired here while holding 'B' in thread 'T1'");
  EXPECT_EQ(F.Location, F.Notes[1].Where);
}
