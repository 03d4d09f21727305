#include "TestGraphs.h"

#include "lockgraph/core/Deadlocks.h"

#include <gtest/gtest.h>

#include <algorithm>

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

TEST(FiltersTest, LongerCycleThroughTheSuggestedEdgeIsTheSameFix) {
  // A -> B is seen once, the other edges three times: reversing A -> B
  // breaks A -> B -> A and A -> B -> C -> A alike, so the longer cycle is
  // folded into the shorter one's finding.
  GraphBuilder B;
  B.edge("A", "B", 0);
  for (int I = 0; I < 3; ++I)
    B.edge("B", "A", 1).edge("B", "C", 1).edge("C", "A", 2);
  auto Findings = findDeadlocks(B.graph());
  ASSERT_EQ(Findings.size(), 2u);
  const Finding &Two = Findings[0].Locks.size() == 2 ? Findings[0] : Findings[1];
  const Finding &Three = Findings[0].Locks.size() == 3 ? Findings[0] : Findings[1];
  EXPECT_TRUE(Two.SuppressedBy.empty());
  EXPECT_EQ(Three.SuppressedBy,
            "same fix: acquiring 'B' before 'A' (the fix suggested for the cycle "
            "A -> B -> A) breaks this cycle too");
  DeadlockOptions Off;
  Off.Filters.SameFix = false;
  for (const Finding &F : findDeadlocks(B.graph(), Off))
    EXPECT_TRUE(F.SuppressedBy.empty()) << F.Message;
}

TEST(FiltersTest, LongerCycleWithoutTheSuggestedEdgeStandsAlone) {
  // Here B -> A is the weakest edge of A -> B -> A, and A -> B -> C -> A
  // does not go through it: both are findings.
  GraphBuilder B;
  B.edge("B", "A", 1);
  for (int I = 0; I < 3; ++I)
    B.edge("A", "B", 0).edge("B", "C", 1).edge("C", "A", 2);
  for (const Finding &F : findDeadlocks(B.graph()))
    EXPECT_TRUE(F.SuppressedBy.empty()) << F.Message << ": " << F.SuppressedBy;
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
  // Per edge: held-at (1 frame) + acquired-at (2 frames: site + caller),
  // then the suggestion of which edge to reverse.
  ASSERT_EQ(F.Notes.size(), 7u);
  EXPECT_EQ(F.Notes[0].Message, "'A' acquired here");
  EXPECT_EQ(F.Notes[1].Message, "'B' acquired here while holding 'A' in thread 'T0'");
  EXPECT_EQ(F.Notes[2].Message, "'f_AB' called here");
  EXPECT_EQ(F.Notes[2].Where.File, "main.cc");
  EXPECT_EQ(F.Notes[3].Message, "'B' acquired here");
  EXPECT_EQ(F.Notes[4].Message, "'A' acquired here while holding 'B' in thread 'T1'");
  EXPECT_EQ(F.Location, F.Notes[1].Where);
}

namespace {
EdgeEvidence observation(const std::string &Origin, const std::string &File, unsigned Line,
                         ThreadIndex Thread = NoThread, uint64_t Count = 1) {
  EdgeEvidence E;
  E.Origin = Origin;
  E.Thread = Thread;
  E.Count = Count;
  E.HeldAt = {at(File, Line)};
  E.AcquiredAt = {at(File, Line + 1)};
  return E;
}
} // namespace

TEST(FiltersTest, CycleSeenByBothHalvesIsConfirmedAndSaysWhoSawWhat) {
  GraphBuilder B;
  LockGraph &G = B.graph();
  LockId A = B.lock("A"), C = B.lock("C");
  G.addEdge(A, C, observation("static", "a.cc", 10));
  G.addEdge(C, A, observation("static", "c.cc", 20));
  G.addEdge(A, C, observation("runtime:test_transfer", "a.cc", 10, 0));
  G.addEdge(C, A, observation("runtime:test_transfer", "c.cc", 20, 1));
  auto Findings = findDeadlocks(G);
  ASSERT_EQ(Findings.size(), 1u);
  const Finding &F = Findings[0];
  EXPECT_EQ(F.Message, "potential deadlock: lock order cycle A -> C -> A (confirmed at run time)");
  EXPECT_EQ(F.Origin, "static+runtime");
  EXPECT_EQ(F.FingerprintKey, "cycle:A -> C -> A"); // confirmation does not move it
  auto hasNote = [&](const std::string &Text) {
    return std::any_of(F.Notes.begin(), F.Notes.end(),
                       [&](const FindingNote &N) { return N.Message == Text; });
  };
  EXPECT_TRUE(hasNote("'C' acquired here while holding 'A' (from source)"));
  EXPECT_TRUE(hasNote("'C' acquired here while holding 'A' in thread 'T0' "
                      "(seen at run time in test_transfer)"));
}

TEST(FiltersTest, CycleWithOnlySomeEdgesSeenAtRunTimeIsNotConfirmed) {
  GraphBuilder B;
  LockGraph &G = B.graph();
  LockId A = B.lock("A"), C = B.lock("C");
  G.addEdge(A, C, observation("static", "a.cc", 10));
  G.addEdge(C, A, observation("static", "c.cc", 20));
  G.addEdge(A, C, observation("runtime", "a.cc", 10, 0));
  auto Findings = findDeadlocks(G);
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Message, "potential deadlock: lock order cycle A -> C -> A");
  EXPECT_EQ(Findings[0].Origin, "static+runtime");
}

TEST(FiltersTest, SuggestsReversingTheEdgeSeenLeastOften) {
  GraphBuilder B;
  LockGraph &G = B.graph();
  LockId A = B.lock("A"), C = B.lock("C"), D = B.lock("D");
  G.addEdge(A, C, observation("runtime", "a.cc", 10, 0, 50));
  G.addEdge(C, D, observation("runtime", "c.cc", 20, 1, 40));
  G.addEdge(D, A, observation("runtime", "d.cc", 30, 2, 1));
  auto Findings = findDeadlocks(G);
  ASSERT_EQ(Findings.size(), 1u);
  const FindingNote &Last = Findings[0].Notes.back();
  EXPECT_EQ(Last.Message, "to break the cycle, acquire 'A' before 'D' here, or not at all "
                          "while holding it: this edge was seen least often, 1 time");
  EXPECT_EQ(Last.Where.File, "d.cc");
  EXPECT_EQ(Last.Where.Line, 31u);
}

TEST(FiltersTest, ReportsPointAtUserCodeNotAtTheStandardLibrary) {
  GraphBuilder B;
  LockGraph &G = B.graph();
  auto runtimeStack = [](unsigned Line) {
    return Stack{at("/usr/include/c++/12/bits/std_mutex.h", 100, "std::mutex::lock()"),
                 at("/usr/include/x86_64-linux-gnu/c++/12/bits/gthr-default.h", 749),
                 at("/src/app/bank.cc", Line, "transfer"), at("/src/app/main.cc", 9, "main"),
                 at("/usr/include/c++/12/bits/std_thread.h", 252, "std::thread::_Invoker"),
                 at("./csu/../csu/libc-start.c", 360, "__libc_start_call_main")};
  };
  EdgeEvidence E;
  E.Origin = "runtime";
  E.Thread = 0;
  E.HeldAt = runtimeStack(10);
  E.AcquiredAt = runtimeStack(11);
  G.addEdge(B.lock("A"), B.lock("C"), E);
  E.Thread = 1;
  E.HeldAt = runtimeStack(20);
  E.AcquiredAt = runtimeStack(21);
  G.addEdge(B.lock("C"), B.lock("A"), E);
  auto Findings = findDeadlocks(G);
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Location.File, "/src/app/bank.cc");
  EXPECT_EQ(Findings[0].Location.Line, 11u);
  for (const FindingNote &N : Findings[0].Notes)
    EXPECT_EQ(N.Where.File.rfind("/usr/include/", 0), std::string::npos) << N.Message;
  EXPECT_EQ(Findings[0].Notes[0].Message, "'A' acquired here");
  EXPECT_EQ(Findings[0].Notes[0].Where.Line, 10u);
  EXPECT_EQ(Findings[0].Notes[1].Message, "'transfer' called here");
  // Thread start and libc frames after the last user frame are left out.
  EXPECT_EQ(Findings[0].Notes[2].Message, "'C' acquired here while holding 'A' in thread 'T0'");
}

namespace {
/// T0 holds A and joins (or waits on) W; whoever ends the wait, on T1,
/// acquires A.
GraphBuilder waitCycle(LockKind WaitKind, bool Timed = false) {
  GraphBuilder B;
  B.lock("W", WaitKind);
  B.edge("A", "W", 0, {}, Timed).edge("W", "A", 1);
  return B;
}
} // namespace

TEST(FiltersTest, JoinWhileHoldingALockTheThreadTakesIsAWaitCycle) {
  GraphBuilder B = waitCycle(LockKind::Thread);
  auto Findings = findDeadlocks(B.graph());
  ASSERT_EQ(Findings.size(), 1u);
  const Finding &F = Findings[0];
  EXPECT_EQ(F.Check, WaitHoldingLockCheck);
  EXPECT_EQ(F.SuppressedBy, "");
  EXPECT_EQ(F.Message, "potential deadlock: joining 'W' while holding 'A', which the "
                       "joined thread acquires: cycle A -> W -> A");
  // Reported at the join, with both halves: where A was taken, the join,
  // where the thread started and where it takes A.
  EXPECT_EQ(F.Location.Line, B.graph().edges()[*B.graph().findEdge(B.lock("A"), B.lock("W"))]
                                 .Evidence[0].AcquiredAt[0].Line);
  auto hasNote = [&](std::string_view Text) {
    return std::any_of(F.Notes.begin(), F.Notes.end(), [&](const FindingNote &N) {
      return N.Message.rfind(Text, 0) == 0;
    });
  };
  EXPECT_TRUE(hasNote("'A' acquired here"));
  EXPECT_TRUE(hasNote("joins 'W' here while holding 'A'"));
  EXPECT_TRUE(hasNote("'W' started here"));
  EXPECT_TRUE(hasNote("'A' acquired here by 'W'"));
  EXPECT_TRUE(hasNote("to break the cycle, release 'A' before joining 'W' here"));
}

TEST(FiltersTest, CondVarWaitCycleNamesTheNotifier) {
  GraphBuilder B = waitCycle(LockKind::CondVar);
  auto Findings = findDeadlocks(B.graph());
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Check, WaitHoldingLockCheck);
  EXPECT_NE(Findings[0].Message.find("waiting on condition variable 'W' while holding 'A', "
                                     "which its notifier acquires"),
            std::string::npos)
      << Findings[0].Message;
  EXPECT_TRUE(std::any_of(Findings[0].Notes.begin(), Findings[0].Notes.end(),
                          [](const FindingNote &N) {
                            return N.Message.rfind("'A' acquired here by a notifier of 'W' in thread 'T1'", 0) == 0;
                          }));
}

TEST(FiltersTest, TimedWaitCannotBlockForever) {
  GraphBuilder B = waitCycle(LockKind::CondVar, /*Timed=*/true);
  EXPECT_EQ(reasonOf(B).rfind("timed wait: 'W' is only waited for with a timeout while "
                              "holding 'A'",
                              0),
            0u)
      << reasonOf(B);
}

TEST(FiltersTest, JoinAfterAConditionWaitUnderTheLockIsAHandshake) {
  GraphBuilder B;
  B.lock("W", LockKind::Thread);
  B.joinAfterWait("A", "W", 0).edge("W", "A", 1);
  EXPECT_EQ(reasonOf(B).rfind("handshake: 'W' is only joined while holding 'A' "
                              "after a condition-variable wait re-acquired it",
                              0),
            0u)
      << reasonOf(B);
  FilterOptions Off;
  Off.Handshake = false;
  EXPECT_EQ(reasonOf(B, Off), "");
}

TEST(FiltersTest, JoinOfAThreadThatSaidItWasDoneUnderTheLockIsAHandshake) {
  GraphBuilder B;
  B.lock("W", LockKind::Thread);
  B.joinOfDoneThread("A", "W", 0).joinAfterWait("A", "W", 2).edge("W", "A", 1);
  EXPECT_EQ(reasonOf(B).rfind("handshake: 'W' is only joined while holding 'A' "
                              "after a condition-variable wait re-acquired it or "
                              "after the thread notified a condition variable in "
                              "its last hold of 'A'",
                              0),
            0u)
      << reasonOf(B);
}

TEST(FiltersTest, OneJoinWithoutTheWaitKeepsTheCycle) {
  GraphBuilder B;
  B.lock("W", LockKind::Thread);
  B.joinAfterWait("A", "W", 0).edge("A", "W", 2).edge("W", "A", 1);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, AWaitOnAConditionVariableIsNoHandshake) {
  // Only a join is made safe by the wait before it: a wait on another
  // condition variable holding A still needs its notifier to get A.
  GraphBuilder B;
  B.lock("W", LockKind::CondVar);
  B.joinAfterWait("A", "W", 0).edge("W", "A", 1);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, LockOnlyCyclesKeepTheLockOrderCheck) {
  GraphBuilder B;
  B.edge("A", "B", 0).edge("B", "A", 1);
  auto Findings = findDeadlocks(B.graph());
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Check, LockOrderCheck);
}

TEST(FiltersTest, ACycleSplitAcrossProcessesIsReported) {
  GraphBuilder B;
  B.edge("Db", "Cache", 0).edge("Cache", "Db", 4);
  std::vector<ProcessEdges> Processes = {{{"Db", "Cache"}}, {{"Cache", "Db"}}};
  std::vector<Finding> F = findCrossProcessDeadlocks(B.graph(), Processes);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Locks, (std::vector<std::string>{"Cache", "Db"}));
  EXPECT_EQ(F[0].SuppressedBy, "");
}

TEST(FiltersTest, ACycleOneProcessSawWholeIsThatProcesssToReport) {
  // Process 0 took Db -> Cache on one pair of objects and Cache -> Db on
  // another: between its instances, no cycle. Process 1 only adds an edge.
  GraphBuilder B;
  B.edge("Db", "Cache", 0).edge("Cache", "Db", 1).edge("Db", "Cache", 5);
  std::vector<ProcessEdges> Processes = {{{"Db", "Cache"}, {"Cache", "Db"}},
                                         {{"Db", "Cache"}}};
  EXPECT_TRUE(findCrossProcessDeadlocks(B.graph(), Processes).empty());
  EXPECT_EQ(findDeadlocks(B.graph()).size(), 1u);
}

TEST(FiltersTest, WhichProcessesSawAnEdgeIsNotReadFromItsEvidence) {
  // A merge of hundreds of processes keeps a few evidence records per edge:
  // here the kept ones name a thread of process 1 for one edge and of
  // process 2 for the other, while process 0 saw both.
  GraphBuilder B;
  B.edge("Init", "Cv", 1).edge("Cv", "Init", 2);
  std::vector<ProcessEdges> Processes = {
      {{"Init", "Cv"}, {"Cv", "Init"}}, {{"Init", "Cv"}}, {{"Cv", "Init"}}};
  EXPECT_TRUE(findCrossProcessDeadlocks(B.graph(), Processes).empty());
  Processes[0].clear();
  EXPECT_EQ(findCrossProcessDeadlocks(B.graph(), Processes).size(), 1u);
}

TEST(FiltersTest, StaticEdgesCountForEveryProcess) {
  // The static half's Db -> Cache (no thread) and process 1's reverse edge:
  // process 1 saw the whole cycle, with the static graph it is checked with.
  GraphBuilder B;
  B.graph().addEdge(B.lock("Db"), B.lock("Cache"), observation("static", "db.cc", 10));
  B.edge("Cache", "Db", 4);
  std::vector<ProcessEdges> Processes = {{}, {{"Cache", "Db"}}};
  EXPECT_TRUE(findCrossProcessDeadlocks(B.graph(), Processes).empty());
}

// Thread 0 (main) starts thread 1 in its segment 0, joins it in segment 1
// and is in segment 2 after; thread 1 has the one segment 0.
static GraphBuilder &startAndJoin(GraphBuilder &B) {
  return B.start(0, 0, 1).join(1, 0, 0, 2);
}

TEST(FiltersTest, OrderAfterJoiningTheThreadThatTookTheOtherIsNoDeadlock) {
  GraphBuilder B;
  startAndJoin(B).segmentEdge("A", "B", 1, 0).segmentEdge("B", "A", 0, 2);
  EXPECT_EQ(reasonOf(B).rfind("start/join order: 'A' -> 'B' (thread 'T1') and 'B' -> "
                              "'A' (thread 'T0') were never taken at the same time",
                              0),
            0u)
      << reasonOf(B);
  FilterOptions Off;
  Off.StartJoin = false;
  EXPECT_EQ(reasonOf(B, Off), "");
}

TEST(FiltersTest, OrderBeforeStartingTheThreadIsNoDeadlock) {
  GraphBuilder B;
  startAndJoin(B).segmentEdge("B", "A", 0, 0).segmentEdge("A", "B", 1, 0);
  EXPECT_NE(reasonOf(B).find("start/join order"), std::string::npos) << reasonOf(B);
}

TEST(FiltersTest, OrderWhileTheThreadRunsIsADeadlock) {
  // Between the start and the join, main runs alongside thread 1.
  GraphBuilder B;
  startAndJoin(B).segmentEdge("A", "B", 1, 0).segmentEdge("B", "A", 0, 1);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, OneObservationAlongsideTheThreadKeepsTheCycle) {
  GraphBuilder B;
  startAndJoin(B)
      .segmentEdge("A", "B", 1, 0)
      .segmentEdge("B", "A", 0, 2)
      .segmentEdge("B", "A", 0, 1);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, OrderThroughAGrandchildIsFollowed) {
  // Thread 1 starts thread 2 and joins it (going on in its segment 2); main
  // joins thread 1 after that: thread 2 ended before main's segment 2. A
  // later segment of thread 1 than any order names still reaches main
  // through the join.
  const auto Threads = [](GraphBuilder &B) -> GraphBuilder & {
    return B.start(0, 0, 1).start(1, 0, 2).join(2, 0, 1, 2).join(1, 3, 0, 2);
  };
  GraphBuilder B;
  Threads(B).segmentEdge("A", "B", 2, 0).segmentEdge("B", "A", 0, 2);
  EXPECT_NE(reasonOf(B).find("start/join order"), std::string::npos) << reasonOf(B);
  GraphBuilder Init;
  Threads(Init).segmentEdge("A", "B", 2, 0).segmentEdge("B", "A", 0, 0);
  EXPECT_NE(reasonOf(Init).find("start/join order"), std::string::npos) << reasonOf(Init);
  // Thread 2 alongside main's segment 1: a deadlock.
  GraphBuilder C;
  Threads(C).segmentEdge("A", "B", 2, 0).segmentEdge("B", "A", 0, 1);
  EXPECT_EQ(reasonOf(C), "");
}

TEST(FiltersTest, ThreadsRunOneAfterTheOtherAreStillADeadlock) {
  // Main starts thread 1, joins it, then starts thread 2: as two tests of a
  // suite, or two processes run one after the other, their orders are
  // checked against each other.
  GraphBuilder B;
  B.start(0, 0, 1).join(1, 0, 0, 2).start(0, 2, 2);
  B.segmentEdge("A", "B", 1, 0).segmentEdge("B", "A", 2, 0);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, UnknownSegmentsAreOrderedWithNothing) {
  GraphBuilder B;
  startAndJoin(B).segmentEdge("A", "B", 1, NoSegment).segmentEdge("B", "A", 0, 2);
  EXPECT_EQ(reasonOf(B), "");
}

TEST(FiltersTest, FoldedObservationsOfTwoSegmentsLoseTheirSegment) {
  GraphBuilder B;
  startAndJoin(B);
  for (unsigned I = 0; I < LockGraph::MaxEvidencePerEdge; ++I)
    B.segmentEdge("B", "A", 0, 2);
  // One more, alongside thread 1, folded into a kept one: it must not be
  // taken for segment 2.
  B.segmentEdge("B", "A", 0, 1).segmentEdge("A", "B", 1, 0);
  EXPECT_EQ(reasonOf(B), "");
}
