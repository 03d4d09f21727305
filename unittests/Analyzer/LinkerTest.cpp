//===- LinkerTest.cpp - Call-graph fixpoint, graph, findings, NOLINT ------===//
#include "lockgraph/analyzer/Linker.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace lockgraph;
using namespace lockgraph::analyzer;

namespace {

LockRef global(std::string Name) {
  LockRef R;
  R.Base = BaseKind::Global;
  R.Name = std::move(Name);
  R.Kind = LockKind::Mutex;
  return R;
}

LockRef param(int Index) {
  LockRef R;
  R.Base = BaseKind::Param;
  R.Index = Index;
  R.Name = "withBoth(p" + std::to_string(Index) + ")";
  return R;
}

Frame at(std::string Fn, unsigned Line) { return {std::move(Fn), "/src/a.cpp", Line, 3}; }

/// withBoth(p0, p1) locks p0 then p1; callers pass (a, b) and (b, a).
std::vector<TUSummary> twoWays(bool BothSameOrder) {
  FunctionSummary W;
  W.USR = "withBoth";
  W.Name = "withBoth";
  W.Acquisitions.push_back({param(0), at("withBoth", 2), AcquireMode::Exclusive, false, {}});
  W.Acquisitions.push_back({param(1), at("withBoth", 3), AcquireMode::Exclusive, false,
                            {{param(0), at("withBoth", 2), AcquireMode::Exclusive}}});
  auto Caller = [](std::string Name, std::string First, std::string Second, unsigned Line) {
    FunctionSummary F;
    F.USR = F.Name = std::move(Name);
    CallSite C;
    C.Callee = "withBoth";
    C.CalleeName = "withBoth";
    C.At = at(F.Name, Line);
    C.Args = {global(std::move(First)), global(std::move(Second))};
    F.Calls.push_back(C);
    return F;
  };
  TUSummary One, Two;
  One.Functions = {W, Caller("one", "a", "b", 10)};
  Two.Functions = {Caller("two", BothSameOrder ? "a" : "b", BothSameOrder ? "b" : "a", 20)};
  return {One, Two};
}

TEST(LinkerTest, FindsCycleThroughArgumentSubstitution) {
  LinkResult R = link(twoWays(false));
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Check, "lockgraph-lock-order");
  EXPECT_EQ(R.Findings[0].Message, "potential deadlock: lock order cycle a -> b -> a");
  // The notes carry the call chain down to withBoth.
  bool SawCall = false;
  for (const FindingNote &N : R.Findings[0].Notes)
    SawCall |= N.Message == "'withBoth' called here";
  EXPECT_TRUE(SawCall);
  EXPECT_TRUE(R.Graph.findLock("a").has_value());
  EXPECT_FALSE(R.Graph.findLock("withBoth(p0)").has_value());
}

TEST(LinkerTest, NoCycleWhenOrderIsConsistent) {
  LinkResult R = link(twoWays(true));
  EXPECT_TRUE(R.Findings.empty());
  ASSERT_TRUE(R.Graph.findLock("a").has_value());
  EXPECT_TRUE(R.Graph.findEdge(*R.Graph.findLock("a"), *R.Graph.findLock("b")).has_value());
}

TEST(LinkerTest, BlockingThroughCalleeIsReportedAtTheCallSite) {
  FunctionSummary Reader;
  Reader.USR = Reader.Name = "load";
  Reader.Blocking.push_back({"read", at("load", 5), {}, {}});
  FunctionSummary Caller;
  Caller.USR = Caller.Name = "update";
  CallSite C;
  C.Callee = "load";
  C.CalleeName = "load";
  C.At = at("update", 12);
  C.Held = {{global("g_mu"), at("update", 11), AcquireMode::Exclusive}};
  Caller.Calls.push_back(C);
  TUSummary S;
  S.Functions = {Reader, Caller};
  LinkResult R = link({S});
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Check, BlockingUnderLockCheck);
  EXPECT_EQ(R.Findings[0].Message,
            "call to 'load' may block in 'read' while holding 'g_mu'");
  EXPECT_EQ(R.Findings[0].Location.Line, 12u);
}

/// stop() holds "state" and joins a thread running worker(), which takes
/// "state" through a callee (or, when \p WorkerTakesOther, another lock).
TUSummary joinWhileHolding(bool WorkerTakesOther) {
  FunctionSummary Take;
  Take.USR = Take.Name = "bump";
  Take.Acquisitions.push_back({global(WorkerTakesOther ? "other" : "state"), at("bump", 2),
                               AcquireMode::Exclusive, false, {}});
  FunctionSummary Worker;
  Worker.USR = Worker.Name = "worker";
  CallSite C;
  C.Callee = "bump";
  C.CalleeName = "bump";
  C.At = at("worker", 5);
  Worker.Calls.push_back(C);
  FunctionSummary Stop;
  Stop.USR = Stop.Name = "stop";
  WaitSite W;
  W.Kind = LockKind::Thread;
  Stop.Spawns.push_back({"worker", "thread:worker", at("stop", 11), false});
  W.Thread = 0;
  W.What = "std::thread::join";
  W.At = at("stop", 12);
  W.Held = {{global("state"), at("stop", 10), AcquireMode::Exclusive}};
  Stop.Waits.push_back(W);
  TUSummary S;
  S.Functions = {Take, Worker, Stop};
  return S;
}

TEST(LinkerTest, JoinWhileHoldingTheThreadsLockIsAWaitCycle) {
  LinkResult R = link({joinWhileHolding(false)});
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Locks, (std::vector<std::string>{"state", "thread:worker"}));
  EXPECT_EQ(R.Findings[0].Check, WaitHoldingLockCheck);
  std::optional<LockId> T = R.Graph.findLock("thread:worker");
  ASSERT_TRUE(T.has_value());
  EXPECT_EQ(R.Graph.lock(*T).Kind, LockKind::Thread);
  // thread:worker -> state carries the call chain from worker to bump.
  std::optional<size_t> Out = R.Graph.findEdge(*T, *R.Graph.findLock("state"));
  ASSERT_TRUE(Out.has_value());
  const EdgeEvidence &V = R.Graph.edges()[*Out].Evidence[0];
  ASSERT_EQ(V.AcquiredAt.size(), 2u);
  EXPECT_EQ(V.AcquiredAt[1].Function, "worker");
  EXPECT_EQ(V.HeldAt[0].Line, 11u);
}

TEST(LinkerTest, JoinWhileHoldingALockTheThreadNeverTakesIsNoCycle) {
  LinkResult R = link({joinWhileHolding(true)});
  EXPECT_TRUE(R.Findings.empty());
  std::optional<LockId> T = R.Graph.findLock("thread:worker");
  ASSERT_TRUE(T.has_value());
  EXPECT_TRUE(R.Graph.findEdge(*R.Graph.findLock("state"), *T).has_value());
}

/// waiter() waits on cv with mutex m, holding \p Held too; notifier()
/// takes a, then notifies.
TUSummary condVar(std::vector<std::string> Held, bool Timed = false) {
  LockRef CV = global("cv");
  CV.Kind = LockKind::CondVar;
  FunctionSummary Waiter;
  Waiter.USR = Waiter.Name = "waiter";
  WaitSite W;
  W.CondVar = CV;
  W.What = "std::condition_variable::wait";
  W.At = at("waiter", 5);
  W.Timed = Timed;
  unsigned Line = 2;
  for (const std::string &H : Held)
    W.Held.push_back({global(H), at("waiter", Line++), AcquireMode::Exclusive});
  W.Releases = {global("m")};
  Waiter.Waits.push_back(W);
  FunctionSummary Notifier;
  Notifier.USR = Notifier.Name = "notifier";
  Notifier.Notifies.push_back(
      {CV, at("notifier", 9), {}, {{global("a"), at("notifier", 7), AcquireMode::Exclusive}}});
  TUSummary S;
  S.Functions = {Waiter, Notifier};
  return S;
}

TEST(LinkerTest, WaitHoldingTheNotifiersLockIsAWaitCycle) {
  LinkResult R = link({condVar({"a", "m"})});
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Check, WaitHoldingLockCheck);
  EXPECT_EQ(R.Findings[0].Locks, (std::vector<std::string>{"a", "cv"}));
  EXPECT_EQ(R.Graph.lock(*R.Graph.findLock("cv")).Kind, LockKind::CondVar);
  // The wait releases m: no m -> cv edge.
  EXPECT_FALSE(R.Graph.findEdge(*R.Graph.findLock("m"), *R.Graph.findLock("cv")).has_value());
}

TEST(LinkerTest, WaitHoldingOnlyItsOwnMutexIsNoCycle) {
  LinkResult R = link({condVar({"m"})});
  EXPECT_TRUE(R.Findings.empty());
}

TEST(LinkerTest, TimedWaitCycleIsSuppressed) {
  LinkResult R = link({condVar({"a", "m"}, /*Timed=*/true)});
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_NE(R.Findings[0].SuppressedBy.find("timed wait"), std::string::npos);
}

/// A wait with no check around it in wrap(), called by caller() in a loop
/// or not.
TUSummary uncheckedWait(bool CallerLoops) {
  FunctionSummary Wrap;
  Wrap.USR = Wrap.Name = "wrap";
  Finding Fi;
  Fi.Check = CondWaitNoLoopCheck;
  Fi.Message = "not in a loop";
  Fi.Location = at("wrap", 3);
  Wrap.UncheckedWaits.push_back(Fi);
  FunctionSummary Caller;
  Caller.USR = Caller.Name = "caller";
  CallSite C;
  C.Callee = "wrap";
  C.CalleeName = "wrap";
  C.At = at("caller", 8);
  C.InLoop = CallerLoops;
  Caller.Calls.push_back(C);
  TUSummary S;
  S.Functions = {Wrap, Caller};
  return S;
}

TEST(LinkerTest, UncheckedWaitIsReportedUnlessEveryCallLoops) {
  LinkResult Bug = link({uncheckedWait(false)});
  ASSERT_EQ(Bug.Findings.size(), 1u);
  EXPECT_EQ(Bug.Findings[0].Check, CondWaitNoLoopCheck);
  EXPECT_TRUE(link({uncheckedWait(true)}).Findings.empty());
}

TEST(LinkerTest, RecursionTerminates) {
  FunctionSummary F;
  F.USR = F.Name = "rec";
  F.Acquisitions.push_back({global("m"), at("rec", 2), AcquireMode::Exclusive, false, {}});
  CallSite Self;
  Self.Callee = "rec";
  Self.CalleeName = "rec";
  Self.At = at("rec", 3);
  F.Calls.push_back(Self);
  TUSummary S;
  S.Functions = {F};
  LinkResult R = link({S});
  EXPECT_TRUE(R.Findings.empty());
}


TEST(NolintTest, SuppressesByLineNextLineAndRegion) {
  llvm::SmallString<128> Path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("nolint", "cpp", Path));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << "a(); // NOLINT\n"                                   // 1
          "b(); // NOLINT(lockgraph-lock-order)\n"             // 2
          "// NOLINTNEXTLINE(lockgraph-*)\n"                   // 3
          "c();\n"                                             // 4
          "// NOLINTBEGIN(lockgraph-double-lock)\n"            // 5
          "d();\n"                                             // 6
          "// NOLINTEND(lockgraph-double-lock)\n"              // 7
          "e();\n";                                            // 8
  }
  auto F = [&](unsigned Line, const char *Check) {
    Finding Fi;
    Fi.Check = Check;
    Fi.Location = {"", std::string(Path), Line, 1};
    return Fi;
  };
  std::vector<Finding> Fs = {F(1, "lockgraph-double-lock"), F(2, "lockgraph-double-lock"),
                             F(4, "lockgraph-double-lock"), F(6, "lockgraph-double-lock"),
                             F(6, "lockgraph-lock-order"),  F(8, "lockgraph-double-lock")};
  applyNolint(Fs);
  EXPECT_EQ(Fs[0].SuppressedBy, "NOLINT");
  EXPECT_EQ(Fs[1].SuppressedBy, "");
  EXPECT_EQ(Fs[2].SuppressedBy, "NOLINTNEXTLINE");
  EXPECT_EQ(Fs[3].SuppressedBy, "NOLINTBEGIN");
  EXPECT_EQ(Fs[4].SuppressedBy, "");
  EXPECT_EQ(Fs[5].SuppressedBy, "");
  llvm::sys::fs::remove(Path);
}

} // namespace
