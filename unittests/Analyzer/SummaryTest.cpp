//===- SummaryTest.cpp - Lock refs, substitution, serialization -----------===//
#include "lockgraph/analyzer/Summary.h"

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

LockRef param(int Index, std::vector<PathElem> Path = {}) {
  LockRef R;
  R.Base = BaseKind::Param;
  R.Index = Index;
  R.Name = "transfer(p" + std::to_string(Index) + ")";
  R.Path = std::move(Path);
  return R;
}

TEST(LockRefTest, NamesMembersByClassAndInstance) {
  LockRef R = global("g_acct");
  R.Path.push_back({"mu", "Account", false});
  EXPECT_EQ(R.className(), "Account::mu");
  EXPECT_EQ(R.instanceName(), "g_acct.mu");
  EXPECT_EQ(R.displayName(), "g_acct.mu");

  LockRef ViaPointer = R;
  ViaPointer.Path.insert(ViaPointer.Path.begin(), {"impl_", "Bank", false});
  ViaPointer.Path.back().ThroughPointer = true;
  EXPECT_EQ(ViaPointer.instanceName(), "");
  EXPECT_EQ(ViaPointer.displayName(), "Account::mu");
}

TEST(LockRefTest, SubstitutesParametersWithArguments) {
  LockRef InCallee = param(1, {{"mu", "Account", false}});
  std::vector<std::optional<LockRef>> Args = {global("g_a"), global("g_b")};
  LockRef InCaller = substitute(InCallee, Args, std::nullopt);
  EXPECT_EQ(InCaller.Base, BaseKind::Global);
  EXPECT_EQ(InCaller.instanceName(), "g_b.mu");
  EXPECT_EQ(InCaller.className(), "Account::mu");
}

TEST(LockRefTest, UnknownArgumentKeepsTheLockClass) {
  LockRef InCallee = param(0, {{"mu", "Account", false}});
  LockRef InCaller = substitute(InCallee, {std::nullopt}, std::nullopt);
  EXPECT_FALSE(InCaller.precise());
  EXPECT_EQ(InCaller.className(), "Account::mu");
}

TEST(LockRefTest, PointerArgumentLosesInstanceIdentity) {
  LockRef Arg;
  Arg.Base = BaseKind::This;
  Arg.Path.push_back({"peer_", "Node", false});
  Arg.PointerValue = true; // this->peer_ is a pointer
  LockRef InCallee = param(0, {{"mu", "Node", false}});
  LockRef InCaller = substitute(InCallee, {Arg}, std::nullopt);
  ASSERT_EQ(InCaller.Path.size(), 2u);
  EXPECT_TRUE(InCaller.Path[1].ThroughPointer);
  EXPECT_EQ(InCaller.className(), "Node::mu");
}

TEST(LockRefTest, LongPathsAreBounded) {
  LockRef R;
  R.Base = BaseKind::Param;
  R.Index = 0;
  for (int I = 0; I < 3; ++I)
    R.Path.push_back({"next", "Node", false});
  LockRef Arg = R;
  Arg.Base = BaseKind::Param;
  LockRef Out = substitute(R, {Arg}, std::nullopt);
  EXPECT_LE(Out.Path.size(), MaxPathLength);
  EXPECT_EQ(Out.className(), "Node::next");
}

TEST(SummaryTest, RoundTripsThroughJSON) {
  TUSummary S;
  S.File = "/src/a.cpp";
  S.Inputs = {"/src/a.cpp", "/src/a.h"};
  FunctionSummary F;
  F.USR = "c:@F@f#";
  F.Name = "f";
  F.Decl = {"f", "/src/a.cpp", 3, 6};
  Acquisition A;
  A.Lock = param(0, {{"mu", "Account", false}});
  A.At = {"f", "/src/a.cpp", 5, 3};
  A.Held.push_back({global("g_mu"), {"f", "/src/a.cpp", 4, 3}, AcquireMode::Shared});
  F.Acquisitions.push_back(A);
  CallSite C;
  C.Callee = "c:@F@g#";
  C.CalleeName = "g";
  C.At = {"f", "/src/a.cpp", 6, 3};
  C.Args = {global("g_x"), std::nullopt};
  C.Running = {"c:@F@worker#", ""};
  C.LoopFirstLine = 5;
  C.LoopLastLine = 12;
  F.Calls.push_back(C);
  Access Acc;
  Acc.Var = global("g_n");
  Acc.At = {"f", "/src/a.cpp", 9, 3};
  Acc.Running = {"c:@F@worker#"};
  F.Accesses.push_back(Acc);
  BlockingCall B;
  B.What = "read";
  B.At = {"f", "/src/a.cpp", 7, 3};
  B.Releases.push_back(global("g_mu"));
  F.Blocking.push_back(B);
  Finding Fi;
  Fi.Check = DoubleLockCheck;
  Fi.Message = "double lock of 'g_mu'";
  Fi.Location = {"f", "/src/a.cpp", 8, 3};
  Fi.Notes.push_back({{"f", "/src/a.cpp", 4, 3}, "'g_mu' first acquired here"});
  Fi.Locks = {"g_mu"};
  Fi.FingerprintKey = "k";
  F.Findings.push_back(Fi);
  S.Functions.push_back(F);

  auto Back = summaryFromJSON(toJSON(S));
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->Functions.size(), 1u);
  const FunctionSummary &G = Back->Functions[0];
  EXPECT_EQ(G.USR, F.USR);
  ASSERT_EQ(G.Acquisitions.size(), 1u);
  EXPECT_TRUE(G.Acquisitions[0].Lock == A.Lock);
  EXPECT_EQ(G.Acquisitions[0].Held[0].Mode, AcquireMode::Shared);
  EXPECT_EQ(G.Acquisitions[0].At, A.At);
  ASSERT_EQ(G.Calls.size(), 1u);
  ASSERT_EQ(G.Calls[0].Args.size(), 2u);
  EXPECT_TRUE(G.Calls[0].Args[0].has_value());
  EXPECT_FALSE(G.Calls[0].Args[1].has_value());
  EXPECT_EQ(G.Calls[0].Running, C.Running);
  EXPECT_EQ(G.Calls[0].LoopFirstLine, 5u);
  EXPECT_EQ(G.Calls[0].LoopLastLine, 12u);
  ASSERT_EQ(G.Accesses.size(), 1u);
  EXPECT_EQ(G.Accesses[0].Running, Acc.Running);
  EXPECT_EQ(G.Blocking[0].What, "read");
  EXPECT_EQ(G.Findings[0].Notes[0].Message, "'g_mu' first acquired here");
  EXPECT_EQ(Back->Inputs, S.Inputs);
}

TEST(SummaryTest, WaitsAndNotifiesRoundTrip) {
  TUSummary S;
  S.File = "/src/a.cpp";
  FunctionSummary F;
  F.USR = "c:@F@f#";
  F.Name = "f";
  LockRef CV = global("g_cv");
  CV.Kind = LockKind::CondVar;
  WaitSite W;
  W.Kind = LockKind::Thread;
  F.Spawns.push_back({"c:@F@worker#", "thread:worker", {"f", "/src/a.cpp", 4, 15}, false});
  W.Thread = 0;
  W.What = "std::thread::join";
  W.At = {"f", "/src/a.cpp", 6, 5};
  W.Timed = true;
  W.Held.push_back({global("g_mu"), {"f", "/src/a.cpp", 3, 3}, AcquireMode::Exclusive});
  F.Waits.push_back(W);
  WaitSite C;
  C.CondVar = CV;
  C.What = "std::condition_variable::wait";
  C.Releases.push_back(global("g_m"));
  F.Waits.push_back(C);
  F.Notifies.push_back({CV, {"f", "/src/a.cpp", 9, 3}, {},
                        {{global("g_mu"), {"f", "/src/a.cpp", 8, 3}, AcquireMode::Exclusive}}});
  Finding Fi;
  Fi.Check = CondWaitNoLoopCheck;
  Fi.Message = "m";
  Fi.FingerprintKey = "k";
  F.UncheckedWaits.push_back(Fi);
  CallSite Call;
  Call.Callee = "c:@F@g#";
  Call.CalleeName = "g";
  Call.InLoop = true;
  F.Calls.push_back(Call);
  S.Functions.push_back(F);

  auto Back = summaryFromJSON(toJSON(S));
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  const FunctionSummary &G = Back->Functions[0];
  ASSERT_EQ(G.Waits.size(), 2u);
  EXPECT_EQ(G.Waits[0].Kind, LockKind::Thread);
  EXPECT_EQ(G.Waits[0].Thread, 0);
  ASSERT_EQ(G.Spawns.size(), 1u);
  EXPECT_EQ(G.Spawns[0].Entry, F.Spawns[0].Entry);
  EXPECT_EQ(G.Spawns[0].Name, F.Spawns[0].Name);
  EXPECT_EQ(G.Spawns[0].At, F.Spawns[0].At);
  EXPECT_TRUE(G.Waits[0].Timed);
  EXPECT_EQ(G.Waits[0].Held[0].At, W.Held[0].At);
  EXPECT_EQ(G.Waits[1].Kind, LockKind::CondVar);
  EXPECT_EQ(G.Waits[1].CondVar.Kind, LockKind::CondVar);
  EXPECT_TRUE(G.Waits[1].Releases[0] == global("g_m"));
  ASSERT_EQ(G.Notifies.size(), 1u);
  EXPECT_TRUE(G.Notifies[0].CondVar == CV);
  EXPECT_EQ(G.Notifies[0].AcquiredBefore[0].At.Line, 8u);
  ASSERT_EQ(G.UncheckedWaits.size(), 1u);
  EXPECT_EQ(G.UncheckedWaits[0].Check, CondWaitNoLoopCheck);
  EXPECT_TRUE(G.Calls[0].InLoop);

  // A join names one of the function's thread starts.
  S.Functions[0].Spawns.clear();
  auto Dangling = summaryFromJSON(toJSON(S));
  ASSERT_FALSE(bool(Dangling));
  EXPECT_NE(llvm::toString(Dangling.takeError()).find("not started here"), std::string::npos);
}

TEST(SummaryTest, MainFileMacrosRoundTrip) {
  TUSummary S;
  S.File = "queue.c";
  S.MainFileMacros = {"WITH_BROKER", "WITH_THREADING"};
  auto Back = summaryFromJSON(toJSON(S));
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(Back->MainFileMacros, S.MainFileMacros);
}

TEST(SummaryTest, FunctionPointerFlowsRoundTrip) {
  TUSummary S;
  S.File = "loop.c";
  S.FieldTargets = {{"field:watcher::cb", "c:app.c@F@on_event"},
                    {"param:c:@F@watcher_start_logged#1", "c:app.c@F@on_event"}};
  S.TargetFlows = {{"field:watcher::cb", "param:c:loop.c@F@watcher_start#1"},
                   {"param:c:loop.c@F@watcher_start#1", "param:c:@F@watcher_start_logged#1"}};
  auto Back = summaryFromJSON(toJSON(S));
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(Back->FieldTargets, S.FieldTargets);
  EXPECT_EQ(Back->TargetFlows, S.TargetFlows);

  llvm::json::Value Broken = toJSON(S);
  (*Broken.getAsObject())["target-flows"] = llvm::json::Array{llvm::json::Array{"field:watcher::cb"}};
  auto Bad = summaryFromJSON(Broken);
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("target-flows"), std::string::npos);
}

TEST(SummaryTest, ArgumentFactsAndGuardsRoundTrip) {
  TUSummary S;
  S.File = "aio.c";
  FunctionSummary F;
  F.USR = "c:aio.c@F@aio_finish_impl";
  F.Name = "aio_finish_impl";
  CallSite Exec;
  Exec.Callee = "c:aio.c@F@task_exec";
  Exec.Guards = {{3, "", false, 0}, {0, "->task_cb", true, 0}};
  Exec.ArgFacts = {{0, "", true, -7}, {1, ".opts.fast", false, 3}};
  F.Calls.push_back(Exec);
  S.Functions.push_back(F);
  auto Back = summaryFromJSON(toJSON(S));
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->Functions.size(), 1u);
  ASSERT_EQ(Back->Functions[0].Calls.size(), 1u);
  EXPECT_EQ(Back->Functions[0].Calls[0].Guards, Exec.Guards);
  EXPECT_EQ(Back->Functions[0].Calls[0].ArgFacts, Exec.ArgFacts);
}

TEST(SummaryTest, MaybeHeldLocksRoundTrip) {
  TUSummary S;
  S.File = "socket_base.cpp";
  FunctionSummary F;
  F.USR = "c:@S@socket_base_t@F@add_signaler";
  F.Name = "socket_base_t::add_signaler";
  CallSite Call;
  Call.Callee = "c:@S@mailbox_safe_t@F@add_signaler";
  Call.MaybeHeld = {global("sync")};
  F.Calls.push_back(Call);
  CallSite Lambda = Call;
  Lambda.Callee = "c:@S@socket_base_t@F@add_signaler@Sa@F@operator()";
  Lambda.MaybeHeld = {param(0, {{"mu", "S", false}})};
  F.LambdaCalls.push_back(Lambda);
  Access A;
  A.Var = param(0, {{"signalers", "mailbox_safe_t", true}});
  A.MaybeHeld = {global("sync")};
  F.Accesses.push_back(A);
  S.Functions.push_back(F);
  auto Back = summaryFromJSON(toJSON(S));
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  const FunctionSummary &G = Back->Functions.at(0);
  EXPECT_EQ(G.Calls.at(0).MaybeHeld, Call.MaybeHeld);
  EXPECT_EQ(G.LambdaCalls.at(0).MaybeHeld, Lambda.MaybeHeld);
  EXPECT_EQ(G.Accesses.at(0).MaybeHeld, A.MaybeHeld);
}

TEST(SummaryTest, RejectsOtherFormats) {
  auto Bad = summaryFromJSON(llvm::json::Object{{"format", "other"}});
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("not a lockgraph summary"), std::string::npos);
  auto Truncated = summaryFromJSON(llvm::json::Object{
      {"format", "lockgraph-summary"}, {"version", SummaryFormatVersion}, {"file", "a.cpp"},
      {"inputs", llvm::json::Array{}}, {"skipped", llvm::json::Array{}},
      {"functions", llvm::json::Array{llvm::json::Object{{"usr", 1}}}}});
  ASSERT_FALSE(bool(Truncated));
  llvm::consumeError(Truncated.takeError());
}

} // namespace
