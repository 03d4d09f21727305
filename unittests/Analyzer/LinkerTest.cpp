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
