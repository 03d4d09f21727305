#include "TestGraphs.h"

#include "lockgraph/core/Deadlocks.h"

#include <gtest/gtest.h>

#include <set>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {
std::vector<std::string> names(const LockGraph &G, const Cycle &C) {
  std::vector<std::string> N;
  for (LockId L : C.Locks)
    N.push_back(G.lock(L).Name);
  return N;
}

/// Every consecutive pair of a cycle is an edge of the graph, Edges[i] is
/// that edge, and no lock repeats (the cycle is elementary).
void expectValidCycle(const LockGraph &G, const Cycle &C) {
  ASSERT_EQ(C.Locks.size(), C.Edges.size());
  std::set<LockId> Seen(C.Locks.begin(), C.Locks.end());
  EXPECT_EQ(Seen.size(), C.Locks.size());
  for (size_t I = 0; I < C.Locks.size(); ++I) {
    const Edge &E = G.edges()[C.Edges[I]];
    EXPECT_EQ(E.From, C.Locks[I]);
    EXPECT_EQ(E.To, C.Locks[(I + 1) % C.Locks.size()]);
  }
}

LockGraph complete(unsigned N) {
  GraphBuilder B;
  for (unsigned I = 0; I < N; ++I)
    for (unsigned J = 0; J < N; ++J)
      if (I != J)
        B.edge("L" + std::to_string(I), "L" + std::to_string(J), I % 2);
  return B.graph();
}
} // namespace

TEST(CyclesTest, FindsThreeLockCycle) {
  GraphBuilder B;
  B.edge("intake", "parse", 0).edge("parse", "store", 1).edge("store", "intake", 2);
  auto Cycles = findCycles(B.graph());
  ASSERT_EQ(Cycles.size(), 1u);
  EXPECT_EQ(names(B.graph(), Cycles[0]),
            (std::vector<std::string>{"intake", "parse", "store"}));
  expectValidCycle(B.graph(), Cycles[0]);
}

TEST(CyclesTest, NoCycleWhenOrderIsConsistent) {
  GraphBuilder B;
  B.edge("A", "B", 0).edge("B", "C", 1).edge("A", "C", 2).edge("C", "D", 3);
  EXPECT_TRUE(findCycles(B.graph()).empty());
}

TEST(CyclesTest, EachCycleOnceStartingAtTheSmallestName) {
  GraphBuilder B;
  // Found from any of its locks, the cycle is reported once, rotated to "a".
  B.edge("c", "a", 0).edge("a", "b", 1).edge("b", "c", 2);
  auto Cycles = findCycles(B.graph());
  ASSERT_EQ(Cycles.size(), 1u);
  EXPECT_EQ(B.graph().lock(Cycles[0].Locks[0]).Name, "a");
}

TEST(CyclesTest, ShortestCyclesFirst) {
  GraphBuilder B;
  B.edge("A", "B", 0).edge("B", "C", 1).edge("C", "A", 2); // length 3
  B.edge("X", "Y", 0).edge("Y", "X", 1);                   // length 2
  B.edge("B", "A", 3);                                     // length 2, shares A,B
  auto Cycles = findCycles(B.graph());
  ASSERT_EQ(Cycles.size(), 3u);
  EXPECT_EQ(Cycles[0].Locks.size(), 2u);
  EXPECT_EQ(Cycles[1].Locks.size(), 2u);
  EXPECT_EQ(Cycles[2].Locks.size(), 3u);
  EXPECT_EQ(names(B.graph(), Cycles[0]), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(names(B.graph(), Cycles[1]), (std::vector<std::string>{"X", "Y"}));
}

TEST(CyclesTest, ManyOverlappingCyclesAreAllFoundWithoutCaps) {
  // The complete digraph on 6 locks has sum over k=2..6 of C(6,k)(k-1)! = 409
  // elementary cycles.
  LockGraph G = complete(6);
  CycleOptions NoCaps;
  NoCaps.MaxCyclesPerComponent = 0;
  auto Cycles = findCycles(G, NoCaps);
  EXPECT_EQ(Cycles.size(), 409u);
  std::set<std::vector<LockId>> Distinct;
  for (const Cycle &C : Cycles) {
    expectValidCycle(G, C);
    Distinct.insert(C.Locks);
  }
  EXPECT_EQ(Distinct.size(), Cycles.size());
  for (size_t I = 1; I < Cycles.size(); ++I)
    EXPECT_LE(Cycles[I - 1].Locks.size(), Cycles[I].Locks.size());
}

TEST(CyclesTest, LengthCapKeepsOnlyShortCycles) {
  LockGraph G = complete(6);
  CycleOptions Opts;
  Opts.MaxCyclesPerComponent = 0;
  Opts.MaxCycleLength = 2;
  EXPECT_EQ(findCycles(G, Opts).size(), 15u); // C(6,2)
  Opts.MaxCycleLength = 3;
  EXPECT_EQ(findCycles(G, Opts).size(), 15u + 40u); // + C(6,3)*2
}

TEST(CyclesTest, PerComponentCapBoundsADenseGraph) {
  // 12 locks, all orders: ~1.1e8 cycles; the cap must stop the enumeration.
  LockGraph G = complete(12);
  CycleOptions Opts;
  Opts.MaxCyclesPerComponent = 10;
  auto Cycles = findCycles(G, Opts);
  EXPECT_EQ(Cycles.size(), 10u);
  for (const Cycle &C : Cycles)
    expectValidCycle(G, C);
}

TEST(CyclesTest, AShortCycleTheEnumerationDidNotReachIsStillFound) {
  // The enumeration starts at the first lock, L0, and runs out of budget
  // among the thousands of cycles through L0's clique before it gets to
  // X <-> Y, a cycle that avoids L0; the shortest cycle through every lock
  // is then added, so X -> Y -> X is among the cycles kept.
  GraphBuilder B;
  for (int I = 0; I < 7; ++I)
    for (int J = 0; J < 7; ++J)
      if (I != J)
        B.edge("L" + std::to_string(I), "L" + std::to_string(J), 1);
  B.edge("L0", "X", 1).edge("X", "L0", 1).edge("X", "Y", 1).edge("Y", "X", 1);
  CycleOptions Opts;
  Opts.MaxCyclesPerComponent = 64;
  auto Cycles = findCycles(B.graph(), Opts);
  EXPECT_EQ(Cycles.size(), 64u);
  bool FoundXY = false;
  for (const Cycle &C : Cycles) {
    expectValidCycle(B.graph(), C);
    FoundXY |= names(B.graph(), C) == std::vector<std::string>{"X", "Y"};
  }
  EXPECT_TRUE(FoundXY);
}

TEST(CyclesTest, CapIsPerComponent) {
  GraphBuilder B;
  for (int Comp = 0; Comp < 3; ++Comp) {
    std::string P = "c" + std::to_string(Comp) + "_";
    for (int I = 0; I < 4; ++I)
      for (int J = 0; J < 4; ++J)
        if (I != J)
          B.edge(P + std::to_string(I), P + std::to_string(J), 1);
  }
  CycleOptions Opts;
  Opts.MaxCyclesPerComponent = 2;
  EXPECT_EQ(findCycles(B.graph(), Opts).size(), 6u);
}

TEST(CyclesTest, LargeComponentsUseShortestCycleSearch) {
  // A ring of 5000 locks with a chord back every 10 locks: one component
  // larger than the enumeration limit, whose shortest cycles have 11 locks.
  GraphBuilder B;
  const int N = 5000;
  for (int I = 0; I < N; ++I)
    B.edge("L" + std::to_string(I), "L" + std::to_string((I + 1) % N), I % 2);
  for (int I = 10; I < N; I += 10)
    B.edge("L" + std::to_string(I), "L" + std::to_string(I - 10), 1);
  CycleOptions Opts;
  Opts.MaxEnumeratedComponentSize = 100;
  Opts.MaxCyclesPerComponent = 5;
  auto Cycles = findCycles(B.graph(), Opts);
  ASSERT_EQ(Cycles.size(), 5u);
  for (const Cycle &C : Cycles) {
    expectValidCycle(B.graph(), C);
    EXPECT_EQ(C.Locks.size(), 11u);
  }
}

TEST(CyclesTest, AHugeRingDoesNotOverflowTheStack) {
  GraphBuilder B;
  const int N = 100000;
  for (int I = 0; I < N; ++I)
    B.edge("L" + std::to_string(I), "L" + std::to_string((I + 1) % N));
  auto Cycles = findCycles(B.graph());
  ASSERT_EQ(Cycles.size(), 1u);
  EXPECT_EQ(Cycles[0].Locks.size(), size_t(N));
}
