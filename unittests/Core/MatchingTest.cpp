#include "TestGraphs.h"

#include "lockgraph/core/Deadlocks.h"
#include "lockgraph/core/Matching.h"

#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {
/// An observation of From -> To with both acquisitions at the given lines of
/// bank.cc, as the analyzer (static) or the runtime (a stack that starts in
/// the standard library and a path with another prefix) records it.
void observe(LockGraph &G, const std::string &From, const std::string &To, unsigned FromLine,
             unsigned ToLine, bool Static, ThreadIndex Thread = 0) {
  EdgeEvidence E;
  E.Origin = Static ? "static" : "runtime";
  E.Thread = Static ? NoThread : Thread;
  auto stack = [&](unsigned Line) {
    if (Static)
      return Stack{at("/src/app/bank.cc", Line, "transfer")};
    return Stack{at("/usr/include/c++/12/bits/std_mutex.h", 100, "std::mutex::lock()"),
                 at("/build/../src/app/bank.cc", Line, "transfer")};
  };
  E.HeldAt = stack(FromLine);
  E.AcquiredAt = stack(ToLine);
  G.addEdge(G.addLock({From, LockKind::Mutex, {}}), G.addLock({To, LockKind::Mutex, {}}), E);
}
} // namespace

TEST(MatchingTest, RuntimeLocksTakenAtTheSameLinesAreTheStaticLocks) {
  LockGraph G;
  observe(G, "g_accounts_mu", "g_log_mu", 10, 11, /*Static=*/true);
  observe(G, "g_log_mu", "g_accounts_mu", 20, 21, /*Static=*/true);
  observe(G, "accounts+0", "log+0", 10, 11, /*Static=*/false, 0);
  observe(G, "log+0", "accounts+0", 20, 21, /*Static=*/false, 1);
  auto Aliases = matchRuntimeLocksToSource(G);
  EXPECT_EQ(Aliases.size(), 2u);
  EXPECT_EQ(Aliases["accounts+0"], "g_accounts_mu");
  EXPECT_EQ(Aliases["log+0"], "g_log_mu");

  LockGraph Merged;
  Merged.merge(G, &Aliases);
  EXPECT_EQ(Merged.locks().size(), 2u);
  auto Findings = findDeadlocks(Merged);
  ASSERT_EQ(Findings.size(), 1u);
  EXPECT_EQ(Findings[0].Message,
            "potential deadlock: lock order cycle g_accounts_mu -> g_log_mu -> g_accounts_mu "
            "(confirmed at run time)");
}

TEST(MatchingTest, TwoInstancesOfOneDeclarationStayApart) {
  // transfer(a, b) and transfer(b, a): one static lock, two run-time ones.
  LockGraph G;
  observe(G, "Account::mu_", "Account::mu_", 10, 11, /*Static=*/true); // self: dropped
  observe(G, "Account::mu_", "g_log_mu", 11, 30, /*Static=*/true);
  observe(G, "alice+8", "bob+8", 10, 11, /*Static=*/false, 0);
  observe(G, "bob+8", "alice+8", 10, 11, /*Static=*/false, 1);
  auto Aliases = matchRuntimeLocksToSource(G);
  EXPECT_EQ(Aliases.count("alice+8"), 0u);
  EXPECT_EQ(Aliases.count("bob+8"), 0u);
}

TEST(MatchingTest, LinesOfTwoStaticLocksAreAmbiguous) {
  LockGraph G;
  observe(G, "A", "B", 10, 11, /*Static=*/true);
  observe(G, "C", "B", 10, 11, /*Static=*/true); // line 10 takes A or C
  observe(G, "x", "y", 10, 11, /*Static=*/false);
  auto Aliases = matchRuntimeLocksToSource(G);
  EXPECT_EQ(Aliases.count("x"), 0u);
  EXPECT_EQ(Aliases["y"], "B");
}

namespace {
Finding recorded(std::string Origin, std::string Message, unsigned Line,
                 std::string File = "/src/app/log.cc") {
  Finding F;
  F.Check = "lockgraph-blocking-under-lock";
  F.Message = std::move(Message);
  F.Location.File = std::move(File);
  F.Location.Line = Line;
  F.Notes.push_back({F.Location, Origin + " note"});
  F.Origin = std::move(Origin);
  return F;
}
} // namespace

TEST(MatchingTest, OneBlockingCallSeenByBothHalvesIsOneFinding) {
  std::vector<Finding> In = {
      recorded("static", "blocking call to 'write' while holding 'mu'", 12),
      recorded("runtime", "blocking call 'write' while holding 'mu' (took 1 ms)", 12,
               "/build/../src/app/log.cc"),
      recorded("runtime", "blocking call 'read' while holding 'mu'", 30)};
  std::vector<Finding> Out = mergeFindingsOfBothHalves(In);
  ASSERT_EQ(Out.size(), 2u);
  EXPECT_EQ(Out[0].Message,
            "blocking call to 'write' while holding 'mu' (confirmed at run time)");
  EXPECT_EQ(Out[0].Origin, "static+runtime");
  ASSERT_EQ(Out[0].Notes.size(), 3u);
  EXPECT_EQ(Out[0].Notes[1].Message,
            "seen at run time: blocking call 'write' while holding 'mu' (took 1 ms)");
  EXPECT_EQ(Out[0].Notes[2].Message, "runtime note");
  // Only seen at run time: unchanged.
  EXPECT_EQ(Out[1].Message, "blocking call 'read' while holding 'mu'");
  EXPECT_EQ(Out[1].Origin, "runtime");
}

TEST(MatchingTest, DifferentLinesOrChecksStayApart) {
  Finding Other = recorded("runtime", "x", 12);
  Other.Check = "lockgraph-unlock-unheld";
  std::vector<Finding> In = {recorded("static", "a", 12), recorded("runtime", "b", 13),
                             Other};
  EXPECT_EQ(mergeFindingsOfBothHalves(In).size(), 3u);
}

TEST(MatchingTest, OneBlockingCallRepeatedByManyProcessesIsOneFinding) {
  auto fromProcess = [](std::string Took, unsigned Line = 12) {
    Finding F = recorded("runtime",
                         "blocking call 'write' while holding 'mu' (took " + Took + ")",
                         Line);
    F.FingerprintKey = "lockgraph-blocking-under-lock:write:'mu':log";
    return F;
  };
  Finding OtherLock = fromProcess("4 ms");
  OtherLock.FingerprintKey = "lockgraph-blocking-under-lock:write:'nu':log";
  std::vector<Finding> In = {fromProcess("1 ms"), fromProcess("2 ms"), OtherLock,
                             fromProcess("3 ms"), fromProcess("5 ms", 40)};
  std::vector<Finding> Out = mergeFindingsOfBothHalves(In);
  // The one shown is the slowest call (where it was slow is what to fix),
  // in its place among the others.
  ASSERT_EQ(Out.size(), 3u);
  EXPECT_EQ(Out[0].FingerprintKey, OtherLock.FingerprintKey);
  EXPECT_EQ(Out[0].Message, OtherLock.Message);
  EXPECT_EQ(Out[1].Message,
            "blocking call 'write' while holding 'mu' (took 3 ms) (seen 3 times)");
  EXPECT_EQ(Out[2].Location.Line, 40u);

  // Folded from several processes, it says how many.
  std::vector<Finding> Procs;
  for (int Pid : {11, 12, 12}) {
    Finding F = fromProcess(std::to_string(Pid) + " ms");
    F.Notes.push_back({Frame(), "seen in process 'test' (pid " + std::to_string(Pid) + ")"});
    Procs.push_back(std::move(F));
  }
  Out = mergeFindingsOfBothHalves(Procs);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Message, "blocking call 'write' while holding 'mu' (took 12 ms) (seen 3 "
                            "times in 2 processes)");
}

namespace {
/// A process's graph with one run-time lock per (name, declaration file,
/// line); line 0: named by an instance's first acquisition instead.
LockGraph processWith(std::vector<std::tuple<std::string, std::string, unsigned>> Locks) {
  LockGraph G;
  for (auto &[Name, File, Line] : Locks) {
    Lock L{Name, LockKind::Mutex, {}};
    if (Line) {
      L.DeclaredAt.File = File;
      L.DeclaredAt.Line = Line;
    } else {
      L.DeclaredAt = at(File, 7, "worker");
      L.DeclaredAt.Module = "/bin/test";
    }
    G.addLock(L);
  }
  return G;
}
} // namespace

TEST(MatchingTest, GlobalsOfOneNameDeclaredTwiceAreQualifiedByFile) {
  std::vector<LockGraph> Processes = {
      processWith({{"mutex", "/src/threadpool.c", 34}, {"log_mu", "/src/log.c", 3}}),
      processWith({{"mutex", "/src/test/test-mutexes.c", 29},
                   {"mutex#2", "/src/threadpool.c", 34},
                   {"log_mu", "/src/log.c", 3}})};
  auto Renames = qualifyGlobalsDeclaredTwice(Processes);
  ASSERT_EQ(Renames.size(), 2u);
  EXPECT_EQ(Renames[0].size(), 1u);
  EXPECT_EQ(Renames[0]["mutex"], "mutex (threadpool.c)");
  EXPECT_EQ(Renames[1].size(), 2u);
  EXPECT_EQ(Renames[1]["mutex"], "mutex (test-mutexes.c)");
  EXPECT_EQ(Renames[1]["mutex#2"], "mutex (threadpool.c)");
}

TEST(MatchingTest, AGlobalDeclaredOnceKeepsItsNameInEveryProcess) {
  // One library linked into two test programs (its path seen from two
  // build directories), and a lock named by where it was first taken.
  std::vector<LockGraph> Processes = {
      processWith({{"mutex", "/build/a/../src/threadpool.c", 34},
                   {"mutex@worker.c:7", "/src/worker.c", 0}}),
      processWith({{"mutex", "/build/b/../src/threadpool.c", 34},
                   {"mutex@worker.c:7", "/src/other/worker.c", 0}})};
  auto Renames = qualifyGlobalsDeclaredTwice(Processes);
  EXPECT_TRUE(Renames[0].empty());
  EXPECT_TRUE(Renames[1].empty());
}

TEST(MatchingTest, GlobalsDeclaredInFilesOfOneNameAreQualifiedByLine) {
  std::vector<LockGraph> Processes = {processWith({{"mu", "/src/a/util.c", 5}}),
                                      processWith({{"mu", "/src/b/util.c", 9}})};
  auto Renames = qualifyGlobalsDeclaredTwice(Processes);
  EXPECT_EQ(Renames[0]["mu"], "mu (util.c:5)");
  EXPECT_EQ(Renames[1]["mu"], "mu (util.c:9)");
}

TEST(MatchingTest, JoinsOfThreadsOfOneTrampolineFromManyPoolsAreOneFinding) {
  auto join = [](const std::string &Chain, unsigned Line = 244) {
    Finding F = recorded("runtime", "joining while holding a lock", Line);
    F.Check = "lockgraph-wait-holding-lock";
    F.FingerprintKey = "cycle:" + Chain;
    return F;
  };
  std::vector<Finding> In = {
      join("ThreadPool::_mutex#2 -> thread:runnableEntry (ThreadPool.cpp:276) -> "
           "ThreadPool::_mutex#2"),
      join("ThreadPool::_mutex#3 -> thread:runnableEntry (TaskTest.cpp:410) -> "
           "ThreadPool::_mutex#3"),
      // Another routine, and the same thread joined elsewhere, stay apart.
      join("ThreadPool::_mutex#2 -> thread:worker (TaskTest.cpp:410) -> ThreadPool::_mutex#2"),
      join("ThreadPool::_mutex#2 -> thread:runnableEntry (ThreadPool.cpp:276) -> "
           "ThreadPool::_mutex#2",
           300)};
  std::vector<Finding> Out = foldFindingsOfInstances(In);
  ASSERT_EQ(Out.size(), 3u);
  EXPECT_EQ(Out[0].FingerprintKey,
            "cycle:ThreadPool::_mutex -> thread:runnableEntry -> ThreadPool::_mutex");
  EXPECT_EQ(Out[0].Message, "joining while holding a lock (seen 2 times)");
  EXPECT_EQ(Out[1].FingerprintKey,
            "cycle:ThreadPool::_mutex -> thread:worker -> ThreadPool::_mutex");
  EXPECT_EQ(Out[2].Location.Line, 300u);
}

TEST(MatchingTest, FindingsAboutElementsOfOneArrayAtOnePlaceAreOneFinding) {
  auto unheld = [](const std::string &Lock, unsigned Line = 347) {
    Finding F = recorded("runtime", "unlock of unheld lock '" + Lock + "'", Line);
    F.Check = "lockgraph-unlock-unheld";
    F.FingerprintKey = "lockgraph-unlock-unheld:" + Lock + ":lru_crawler_class_done";
    return F;
  };
  std::vector<Finding> In = {unheld("lru_locks+2600"), unheld("lru_locks+6120"),
                             unheld("lru_locks[7]"), unheld("lru_locks[3]"),
                             // Another array, and another place, stay apart.
                             unheld("item_locks+40"), unheld("lru_locks+80", 441)};
  std::vector<Finding> Out = foldFindingsOfInstances(In);
  ASSERT_EQ(Out.size(), 4u);
  EXPECT_EQ(Out[0].Message, "unlock of unheld lock 'lru_locks+2600' (seen 2 times)");
  EXPECT_EQ(Out[0].FingerprintKey, "lockgraph-unlock-unheld:lru_locks+N:lru_crawler_class_done");
  EXPECT_EQ(Out[1].Message, "unlock of unheld lock 'lru_locks[7]' (seen 2 times)");
  EXPECT_EQ(Out[1].FingerprintKey, "lockgraph-unlock-unheld:lru_locks[N]:lru_crawler_class_done");
  EXPECT_EQ(Out[2].FingerprintKey, "lockgraph-unlock-unheld:item_locks+N:lru_crawler_class_done");
  EXPECT_EQ(Out[3].Location.Line, 441u);
}
