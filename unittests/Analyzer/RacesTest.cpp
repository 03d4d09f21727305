//===- RacesTest.cpp - lockgraph-race: guard inference and thread contexts ===//
#include "lockgraph/analyzer/Races.h"

#include "gtest/gtest.h"

using namespace lockgraph;
using namespace lockgraph::analyzer;

namespace {

TEST(RacesTest, InfersLockHeldAtMostAccesses) {
  GuardVerdict V = inferGuard({{"A::mu"}, {"A::mu", "g_log"}, {}});
  EXPECT_EQ(V.Lock, "A::mu");
  EXPECT_EQ(V.Guarded, 2u);
  EXPECT_EQ(V.Total, 3u);
  EXPECT_FALSE(V.Declared);
}

TEST(RacesTest, NoGuardAtHalfOrFewerAccesses) {
  EXPECT_EQ(inferGuard({{"A::mu"}, {}}).Lock, "");
  EXPECT_EQ(inferGuard({{"A::mu"}, {"A::mu"}, {}, {}}).Lock, "");
  EXPECT_EQ(inferGuard({}).Lock, "");
}

TEST(RacesTest, NoGuardFromASingleAccess) {
  EXPECT_EQ(inferGuard({{"A::mu"}}).Lock, "");
}

TEST(RacesTest, DeclaredGuardWins) {
  GuardVerdict V = inferGuard({{"a"}, {"a"}, {"b"}}, "b");
  EXPECT_EQ(V.Lock, "b");
  EXPECT_TRUE(V.Declared);
  EXPECT_EQ(V.Guarded, 1u);
  EXPECT_EQ(V.Total, 3u);
}

TEST(RacesTest, TiesGoToTheFirstName) {
  GuardVerdict V = inferGuard({{"b", "a"}, {"a", "b"}, {"a", "b"}});
  EXPECT_EQ(V.Lock, "a");
  EXPECT_EQ(V.Guarded, 3u);
}

TEST(RacesTest, DuplicatesInOneAccessCountOnce) {
  EXPECT_EQ(inferGuard({{"a", "a"}, {}, {}}).Lock, "");
}

// Summaries built by hand: functions that each write `g_n`, two of them
// holding `g_mu`.
LockRef global(std::string Name) {
  LockRef R;
  R.Base = BaseKind::Global;
  R.Name = std::move(Name);
  return R;
}

FunctionSummary writer(std::string Name, unsigned Line, bool Locked) {
  FunctionSummary F;
  F.USR = F.Name = Name;
  Access A;
  A.Var = global("g_n");
  A.Kind = AccessKind::Write;
  A.At = {Name, "/src/a.cpp", Line, 3};
  if (Locked)
    A.Held.push_back({global("g_mu"), {Name, "/src/a.cpp", Line - 1, 3}, AcquireMode::Exclusive});
  F.Accesses.push_back(A);
  return F;
}

std::vector<Finding> run(const std::vector<FunctionSummary> &Fs) {
  std::vector<const FunctionSummary *> Ptrs;
  std::vector<std::vector<std::vector<size_t>>> Targets(Fs.size());
  for (const FunctionSummary &F : Fs)
    Ptrs.push_back(&F);
  return findRaces(Ptrs, Targets);
}

TEST(RacesTest, MainThreadOnlyIsSilent) {
  // Three top-level functions, no thread started: all on the main thread.
  EXPECT_TRUE(run({writer("a", 10, true), writer("b", 20, true), writer("c", 30, false)}).empty());
}

TEST(RacesTest, ThreadEntriesRaceWithEachOther) {
  std::vector<FunctionSummary> Fs = {writer("a", 10, true), writer("b", 20, true),
                                     writer("c", 30, false)};
  FunctionSummary Main;
  Main.USR = Main.Name = "main";
  Main.Spawns.push_back({"a", "a", {"main", "/src/a.cpp", 40, 3}, false});
  Main.Spawns.push_back({"c", "c", {"main", "/src/a.cpp", 41, 3}, false});
  Fs.push_back(Main);
  std::vector<Finding> R = run(Fs);
  ASSERT_EQ(R.size(), 1u);
  EXPECT_EQ(R[0].Check, "lockgraph-race");
  EXPECT_EQ(R[0].Location.Line, 30u);
  EXPECT_EQ(R[0].Message,
            "write to 'g_n' without holding 'g_mu', which guards it at 2 of 3 accesses");
  ASSERT_EQ(R[0].Notes.size(), 2u);
  EXPECT_EQ(R[0].Notes[0].Where.Line, 10u);
  EXPECT_EQ(R[0].Notes[1].Where.Line, 20u);
}

TEST(RacesTest, OneThreadStartedOnceIsSilent) {
  // All accesses in one entry started once (its callees' too).
  FunctionSummary Entry = writer("entry", 10, true);
  Entry.Accesses.push_back(writer("entry", 20, true).Accesses[0]);
  Entry.Accesses.push_back(writer("entry", 30, false).Accesses[0]);
  FunctionSummary Main;
  Main.USR = Main.Name = "main";
  Main.Spawns.push_back({"entry", "entry", {"main", "/src/a.cpp", 40, 3}, false});
  EXPECT_TRUE(run({Entry, Main}).empty());
  Main.Spawns[0].Repeated = true; // started in a loop: many threads
  EXPECT_EQ(run({Entry, Main}).size(), 1u);
}

TEST(RacesTest, MainAccessBesideOnlyOtherThreadsIsSilent) {
  // a and b write g_n holding g_mu; main writes it without, while only
  // 'idle' runs (which touches nothing): no race. While a runs, or a thread
  // main cannot name, or one that idle starts, there is one.
  std::vector<FunctionSummary> Fs = {writer("a", 10, true), writer("b", 20, true),
                                     writer("main", 30, false)};
  FunctionSummary &Main = Fs[2];
  Main.Spawns.push_back({"a", "a", {"main", "/src/a.cpp", 40, 3}, false});
  Main.Spawns.push_back({"b", "b", {"main", "/src/a.cpp", 41, 3}, false});
  Main.Spawns.push_back({"idle", "idle", {"main", "/src/a.cpp", 42, 3}, false});
  FunctionSummary Idle;
  Idle.USR = Idle.Name = "idle";
  Fs.push_back(Idle);
  Fs[2].Accesses[0].Running = {"idle"};
  EXPECT_TRUE(run(Fs).empty());
  Fs[2].Accesses[0].Running = {"a", "idle"};
  EXPECT_EQ(run(Fs).size(), 1u);
  Fs[2].Accesses[0].Running = {"", "idle"};
  EXPECT_EQ(run(Fs).size(), 1u);
  // A thread 'idle' starts in turn runs too.
  Fs[2].Accesses[0].Running = {"idle"};
  Fs[3].Spawns.push_back({"b", "b", {"idle", "/src/a.cpp", 50, 3}, false});
  EXPECT_EQ(run(Fs).size(), 1u);
}

TEST(RacesTest, ReadOnlySharingIsSilent) {
  std::vector<FunctionSummary> Fs = {writer("a", 10, true), writer("b", 20, true),
                                     writer("c", 30, false)};
  for (FunctionSummary &F : Fs) {
    F.Role = FunctionRole::SharedMethod;
    F.Accesses[0].Kind = AccessKind::Read;
  }
  EXPECT_TRUE(run(Fs).empty());
}

TEST(RacesTest, CalleeAccessTakesTheCallersLocks) {
  // helper writes g_n unlocked; two shared callers hold g_mu, a third not.
  FunctionSummary Helper = writer("helper", 5, false);
  std::vector<FunctionSummary> Fs = {Helper};
  std::vector<std::vector<std::vector<size_t>>> Targets(4);
  for (unsigned I = 0; I < 3; ++I) {
    FunctionSummary C;
    C.USR = C.Name = "caller" + std::to_string(I);
    C.Role = FunctionRole::SharedMethod;
    CallSite CS;
    CS.Callee = "helper";
    CS.CalleeName = "helper";
    CS.At = {C.Name, "/src/a.cpp", 10 + 10 * I, 3};
    if (I < 2)
      CS.Held.push_back({global("g_mu"), {C.Name, "/src/a.cpp", 9 + 10 * I, 3},
                         AcquireMode::Exclusive});
    C.Calls.push_back(CS);
    Fs.push_back(C);
    Targets[I + 1] = {{0}};
  }
  std::vector<const FunctionSummary *> Ptrs;
  for (const FunctionSummary &F : Fs)
    Ptrs.push_back(&F);
  std::vector<Finding> R = findRaces(Ptrs, Targets);
  ASSERT_EQ(R.size(), 1u);
  EXPECT_EQ(R[0].Location.Line, 30u);
  EXPECT_EQ(R[0].Message, "call to 'helper' writes 'g_n' without holding 'g_mu', which "
                          "guards it at 2 of 3 accesses");
}

/// helper writes g_n unlocked; \p Locked shared callers call it holding
/// g_mu, \p Unlocked more without it.
std::vector<Finding> helperCalledBy(unsigned Locked, unsigned Unlocked) {
  std::vector<FunctionSummary> Fs = {writer("helper", 5, false)};
  std::vector<std::vector<std::vector<size_t>>> Targets(1 + Locked + Unlocked);
  for (unsigned I = 0; I < Locked + Unlocked; ++I) {
    FunctionSummary C;
    C.USR = C.Name = "caller" + std::to_string(I);
    C.Role = FunctionRole::SharedMethod;
    CallSite CS;
    CS.Callee = CS.CalleeName = "helper";
    CS.At = {C.Name, "/src/a.cpp", 10 + 10 * I, 3};
    if (I < Locked)
      CS.Held.push_back({global("g_mu"), {C.Name, "/src/a.cpp", 9 + 10 * I, 3},
                         AcquireMode::Exclusive});
    C.Calls.push_back(CS);
    Fs.push_back(C);
    Targets[I + 1] = {{0}};
  }
  std::vector<const FunctionSummary *> Ptrs;
  for (const FunctionSummary &F : Fs)
    Ptrs.push_back(&F);
  return findRaces(Ptrs, Targets);
}

TEST(RacesTest, OneAccessFromManyCallersIsOneReport) {
  std::vector<Finding> R = helperCalledBy(/*Locked=*/6, /*Unlocked=*/4);
  ASSERT_EQ(R.size(), 1u);
  EXPECT_EQ(R[0].Location.Line, 70u); // the first unlocked caller
  EXPECT_EQ(R[0].Notes.back().Message,
            "the same access is reached without the lock from 3 more callers");
}

TEST(RacesTest, ALockIsNotGuardedByItself) {
  // A lock wrapper whose Lock() the analyzer sees as a write to it, made
  // while holding it: it guards itself at every access but one.
  std::vector<FunctionSummary> Fs;
  for (unsigned I = 0; I < 3; ++I) {
    FunctionSummary F = writer("f" + std::to_string(I), 10 + 10 * I, I < 2);
    F.Role = FunctionRole::SharedMethod;
    F.Accesses[0].Var = global("g_mu");
    Fs.push_back(F);
  }
  EXPECT_TRUE(run(Fs).empty());
}

} // namespace
