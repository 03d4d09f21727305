#include "TestGraphs.h"

#include <gtest/gtest.h>

using namespace lockgraph;
using namespace lockgraph::test;

TEST(LockGraphTest, LocksAreIdentifiedByName) {
  LockGraph G;
  LockId A = G.addLock({"Account::mu_", LockKind::Unknown, {}});
  LockId B = G.addLock({"Account::mu_", LockKind::Mutex, at("account.h", 12)});
  EXPECT_EQ(A, B);
  ASSERT_EQ(G.locks().size(), 1u);
  // The unknown kind and missing declaration are filled in by the later sighting.
  EXPECT_EQ(G.lock(A).Kind, LockKind::Mutex);
  EXPECT_EQ(G.lock(A).DeclaredAt.Line, 12u);
  EXPECT_EQ(G.findLock("Account::mu_"), A);
  EXPECT_FALSE(G.findLock("other").has_value());
}

TEST(LockGraphTest, IdenticalObservationsFoldIntoOneCountedEvidence) {
  GraphBuilder B;
  LockGraph &G = B.graph();
  EdgeEvidence E;
  E.Thread = 0;
  E.AcquiredAt = {at("x.cc", 3)};
  G.addEdge(B.lock("A"), B.lock("B"), E);
  G.addEdge(B.lock("A"), B.lock("B"), E);
  E.Thread = 1;
  G.addEdge(B.lock("A"), B.lock("B"), E);
  ASSERT_EQ(G.edges().size(), 1u);
  EXPECT_EQ(G.edges()[0].Evidence.size(), 2u);
  EXPECT_EQ(G.edges()[0].totalCount(), 3u);
}

TEST(LockGraphTest, EvidenceIsCappedButStillCounted) {
  GraphBuilder B;
  LockGraph &G = B.graph();
  for (unsigned I = 0; I < 100; ++I) {
    EdgeEvidence E;
    E.AcquiredAt = {at("x.cc", I + 1)};
    G.addEdge(B.lock("A"), B.lock("B"), E);
  }
  EXPECT_EQ(G.edges()[0].Evidence.size(), LockGraph::MaxEvidencePerEdge);
  EXPECT_EQ(G.edges()[0].totalCount(), 100u);
}

TEST(LockGraphTest, SelfEdgesAreNotOrderEdges) {
  GraphBuilder B;
  B.graph().addEdge(B.lock("A"), B.lock("A"), EdgeEvidence{});
  EXPECT_TRUE(B.graph().edges().empty());
}

TEST(LockGraphTest, OtherHeldIsSortedUniqueAndExcludesTheEdgeItself) {
  GraphBuilder B;
  LockId A = B.lock("A"), C = B.lock("C"), G1 = B.lock("G1"), G2 = B.lock("G2");
  EdgeEvidence E;
  E.OtherHeld = {G2, A, G1, G2};
  B.graph().addEdge(A, C, E);
  EXPECT_EQ(B.graph().edges()[0].Evidence[0].OtherHeld, (std::vector<LockId>{G1, G2}));
}

TEST(LockGraphTest, MergeJoinsLocksByNameAndKeepsThreadsApart) {
  GraphBuilder P1, P2;
  P1.edge("A", "B", 0, {"G"});
  P2.lock("unrelated");
  P2.edge("B", "A", 0, {"G"});
  LockGraph Merged;
  Merged.merge(P1.graph());
  Merged.merge(P2.graph());
  EXPECT_EQ(Merged.locks().size(), 4u); // A, B, G, unrelated
  ASSERT_EQ(Merged.edges().size(), 2u);
  auto AB = Merged.findEdge(*Merged.findLock("A"), *Merged.findLock("B"));
  auto BA = Merged.findEdge(*Merged.findLock("B"), *Merged.findLock("A"));
  ASSERT_TRUE(AB && BA);
  // Thread 0 of each process must become two different threads.
  EXPECT_NE(Merged.edges()[*AB].Evidence[0].Thread, Merged.edges()[*BA].Evidence[0].Thread);
  // Gate locks are remapped by name too.
  EXPECT_EQ(Merged.edges()[*BA].Evidence[0].OtherHeld,
            (std::vector<LockId>{*Merged.findLock("G")}));
}

TEST(LockGraphTest, KindAndModeNamesRoundTrip) {
  for (LockKind K : {LockKind::Unknown, LockKind::Mutex, LockKind::RecursiveMutex,
                     LockKind::RwLock, LockKind::SpinLock, LockKind::C11Mutex,
                     LockKind::Once, LockKind::CondVar, LockKind::Thread})
    EXPECT_EQ(parseLockKind(toString(K)), K);
  EXPECT_EQ(parseAcquireMode("shared"), AcquireMode::Shared);
  EXPECT_FALSE(parseLockKind("semaphore").has_value());
}

TEST(LockGraphTest, ReportsPointPastTheProgramsLockWrappers) {
  Frame Lock = test::at("port.h", 55, "leveldb::port::Mutex::Lock()");
  Frame Guard = test::at("mutexlock.h", 26, "leveldb::MutexLock::MutexLock(leveldb::port::Mutex*)");
  Frame Caller = test::at("cache.cc", 254, "leveldb::LRUCache::Lookup(leveldb::Slice const&)");
  Frame System = test::at("/usr/include/c++/12/bits/std_mutex.h", 100, "std::mutex::lock()");
  EXPECT_TRUE(isSyncWrapperFrame(Lock));
  EXPECT_TRUE(isSyncWrapperFrame(Guard));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("s.h", 1, "SpinLockHolder::SpinLockHolder(SpinLock*)")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("r.h", 1, "RWLock<int>::ReaderLock()")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("r.h", 1, "Latch::lock_shared")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("thread.c", 1, "uv_mutex_lock")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("thread.c", 1, "uv_rwlock_rdlock")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("mutex.c", 1, "SDL_LockMutex")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("mutex_unix.c", 1, "pthreadMutexTry")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("mutex.c", 1, "sqlite3_mutex_try")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("parse.cc", 1, "Parser::Try()")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("retry.c", 1, "connect_try")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("Mutex_POSIX.h", 59, "Poco::MutexImpl::lockImpl()")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("RWLock_POSIX.h", 1, "Poco::RWLockImpl::readLockImpl()")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("p.cc", 1, "Pool::startImpl()")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at(
      "ScopedLock.h", 38, "Poco::ScopedLock<Poco::FastMutex>::ScopedLock(Poco::FastMutex&)")));
  EXPECT_TRUE(isSyncWrapperFrame(
      test::at("g.h", 1, "ns::Guard<ns::Lockable<int>>::Guard(ns::Lockable<int>&)")));
  EXPECT_FALSE(isSyncWrapperFrame(Caller));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("blk.c", 9, "process_block")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("t.c", 9, "uv_mutex_unlock")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("t.c", 9, "write_under_lock")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("t.c", 9, "item_lock")));
  // A function of the program that takes locks for its own reasons is a
  // place worth naming.
  EXPECT_FALSE(isSyncWrapperFrame(test::at("bank.c", 9, "lock_both_accounts")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("blk.c", 9, "Block::Block(int)")));
  // Waits on a condition variable, and waits for something else.
  EXPECT_TRUE(isSyncWrapperFrame(test::at("p.c", 1, "nni_pthread_cond_wait")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("p.c", 1, "nni_plat_cv_wait")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("p.c", 1, "nni_cv_until")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("t.c", 1, "uv_cond_timedwait")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("port.h", 1, "leveldb::port::CondVar::Wait()")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("taskq.c", 1, "nni_task_wait")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("q.cc", 1, "Queue::Wait()")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("c.cc", 1, "wait_for_reply")));
  // Signals of a condition variable, and announcements of the program's own.
  EXPECT_TRUE(isSyncWrapperFrame(test::at("p.c", 1, "nni_pthread_cond_broadcast")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("p.c", 1, "nni_pthread_cond_signal")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("p.c", 1, "nni_plat_cv_wake")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("p.c", 1, "nni_plat_cv_wake1")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("t.c", 1, "uv_cond_signal")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("port.h", 1, "leveldb::port::CondVar::SignalAll()")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("m.h", 1, "absl::CondVar::Signal()")));
  EXPECT_TRUE(isSyncWrapperFrame(test::at("c.h", 1, "ConditionVariable::notify_all()")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("w.c", 1, "signal_done")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("w.c", 1, "Worker::Wake()")));
  EXPECT_FALSE(isSyncWrapperFrame(test::at("w.c", 1, "broadcast_all")));
  EXPECT_EQ(firstUserFrame({System, Lock, Guard, Caller}), 3u);
  // Every user frame a wrapper: the first of them.
  EXPECT_EQ(firstUserFrame({System, Lock, Guard}), 1u);
  EXPECT_EQ(firstUserFrame({System}), 0u);
}

TEST(LockGraphTest, CopiesOfAStackShareFramesUntilOneChanges) {
  Stack Original = {at("a.cc", 1, "outer"), at("main.cc", 7, "main")};
  Stack Copy = Original;
  EXPECT_EQ(&Copy.frames(), &Original.frames());
  Copy.push_back(at("start.cc", 3, "start"));
  EXPECT_EQ(Original.size(), 2u);
  EXPECT_EQ(Copy.size(), 3u);
  EXPECT_EQ(Copy.back().Function, "start");
  Copy.edit()[0].Line = 9;
  EXPECT_EQ(Original[0].Line, 1u);
  EXPECT_EQ(Stack(Original.begin(), Original.end()), Original);
  EXPECT_TRUE(Stack().empty());
}
