//===- StoreTest.cpp - The runtime's lock-free tables -----------------------===//
#include "lg_store.h"

#include "gtest/gtest.h"

#include <set>
#include <thread>
#include <vector>

using namespace lockgraph::rt;

namespace {

TEST(EdgeSetTest, InsertsOnceAndFindsExisting) {
  EdgeSet S;
  ASSERT_TRUE(S.init(8));
  EdgeRecord *R = S.insert(42);
  ASSERT_NE(R, nullptr);
  R->From = 1;
  R->To = 2;
  R->Ready.store(1);
  EXPECT_EQ(S.insert(42), nullptr);
  EXPECT_EQ(S.size(), 1u);
  unsigned Seen = 0;
  S.forEach([&](const EdgeRecord &E) {
    ++Seen;
    EXPECT_EQ(E.From, 1u);
    EXPECT_EQ(E.To, 2u);
  });
  EXPECT_EQ(Seen, 1u);
  S.destroy();
}

TEST(EdgeSetTest, RepeatsAreCountedAndRecordsStayDense) {
  EdgeSet S;
  ASSERT_TRUE(S.init(8));
  EdgeRecord *R = S.insert(7);
  ASSERT_NE(R, nullptr);
  EXPECT_EQ(S.count(*R), 1u);
  EdgeRecord *Found = nullptr;
  for (int I = 0; I < 3; ++I) {
    EXPECT_EQ(S.insert(7, Found), nullptr);
    EXPECT_EQ(Found, R); // the repeat finds the record to update
  }
  EXPECT_EQ(S.count(*R), 4u);
  // Keys that hash anywhere get consecutive records.
  EdgeRecord *Next = S.insert(mix64(99));
  ASSERT_NE(Next, nullptr);
  EXPECT_EQ(Next, R + 1);
  EXPECT_EQ(S.count(*Next), 1u);
  EXPECT_EQ(S.count(*R), 4u);
  S.destroy();
}

TEST(LockTableTest, NeighbouringAndSameOffsetLocksStayDistinct) {
  // Dense arrays (4-byte spinlocks, 40-byte mutexes) and locks at one offset
  // of many pages: each keeps its own instance, and lookups find them all.
  LockTable T;
  ASSERT_TRUE(T.init(14, 14));
  std::vector<uintptr_t> Addrs;
  for (uintptr_t I = 0; I < 2048; ++I)
    Addrs.push_back(0x7f0000010000 + I * 4);
  for (uintptr_t I = 0; I < 500; ++I)
    Addrs.push_back(0x7f0000100000 + I * 40);
  for (uintptr_t I = 0; I < 1000; ++I)
    Addrs.push_back(0x7f1000000010 + I * 4096);
  std::set<InstanceId> Ids;
  bool Created;
  for (uintptr_t A : Addrs)
    Ids.insert(T.lookupOrCreate(A, 4, Created));
  EXPECT_EQ(Ids.size(), Addrs.size());
  EXPECT_EQ(Ids.count(0), 0u);
  for (uintptr_t A : Addrs)
    EXPECT_EQ(T.info(T.lookup(A)).Addr, A);
  EXPECT_FALSE(T.overflowed());
  T.destroy();
}

TEST(EdgeSetTest, UnpublishedRecordsAreNotVisited) {
  EdgeSet S;
  ASSERT_TRUE(S.init(8));
  ASSERT_NE(S.insert(7), nullptr); // Ready stays 0
  unsigned Seen = 0;
  S.forEach([&](const EdgeRecord &) { ++Seen; });
  EXPECT_EQ(Seen, 0u);
  S.destroy();
}

TEST(EdgeSetTest, FullSetRefusesAndSaysSo) {
  EdgeSet S;
  ASSERT_TRUE(S.init(4)); // 16 slots, 3/4 usable
  unsigned Inserted = 0;
  for (uint64_t K = 1; K <= 64; ++K)
    if (S.insert(K))
      ++Inserted;
  EXPECT_EQ(Inserted, 12u);
  EXPECT_EQ(S.size(), 12u);
  EXPECT_TRUE(S.overflowed());
  S.destroy();
}

TEST(EdgeSetTest, ConcurrentInsertsGiveEachKeyToOneThread) {
  EdgeSet S;
  ASSERT_TRUE(S.init(16));
  constexpr unsigned Threads = 4, Keys = 5000;
  std::vector<unsigned> Won(Threads, 0);
  std::vector<std::thread> Ts;
  for (unsigned T = 0; T < Threads; ++T)
    Ts.emplace_back([&, T] {
      for (uint64_t K = 1; K <= Keys; ++K)
        if (EdgeRecord *R = S.insert(mix64(K))) {
          R->From = uint32_t(K);
          R->Ready.store(1);
          ++Won[T];
        }
    });
  for (auto &T : Ts)
    T.join();
  unsigned Total = 0;
  for (unsigned W : Won)
    Total += W;
  EXPECT_EQ(Total, Keys);
  EXPECT_EQ(S.size(), Keys);
  std::set<uint32_t> Froms;
  S.forEach([&](const EdgeRecord &E) { Froms.insert(E.From); });
  EXPECT_EQ(Froms.size(), size_t(Keys));
  S.destroy();
}

TEST(EdgeSetTest, ResetForgetsEverything) {
  EdgeSet S;
  ASSERT_TRUE(S.init(8));
  EdgeRecord *R = S.insert(5);
  ASSERT_NE(R, nullptr);
  R->Ready.store(1);
  S.reset();
  EXPECT_EQ(S.size(), 0u);
  EXPECT_NE(S.insert(5), nullptr);
  S.destroy();
}

TEST(LockTableTest, SameAddressSameInstanceUntilRetired) {
  LockTable T;
  ASSERT_TRUE(T.init(10, 10));
  bool Created;
  InstanceId A = T.lookupOrCreate(0x1000, 1, Created);
  EXPECT_TRUE(Created);
  EXPECT_NE(A, 0u);
  EXPECT_EQ(T.lookupOrCreate(0x1000, 1, Created), A);
  EXPECT_FALSE(Created);
  EXPECT_EQ(T.lookupFast(0x1000), A);
  EXPECT_EQ(T.info(A).Addr, 0x1000u);
  EXPECT_EQ(T.info(A).Kind, 1u);
  // Destroy, then a new lock at the same address: a new instance.
  EXPECT_EQ(T.retire(0x1000), A);
  EXPECT_EQ(T.lookup(0x1000), 0u);
  InstanceId B = T.lookupOrCreate(0x1000, 1, Created);
  EXPECT_TRUE(Created);
  EXPECT_NE(B, A);
  EXPECT_EQ(T.numInstances(), 2u);
  T.destroy();
}

// What the hooks rely on instead of looking a held lock up again: an
// instance read earlier stays current until its address is retired, and
// only the first lock an address ever had is known never to have been held.
TEST(LockTableTest, InstanceCurrentUntilRetiredAndFirstAtAddressOnce) {
  LockTable T;
  ASSERT_TRUE(T.init(10, 10));
  bool Created, First;
  InstanceId A = T.lookupOrCreate(0x2000, 1, Created, &First);
  EXPECT_TRUE(Created);
  EXPECT_TRUE(First);
  EXPECT_TRUE(T.isCurrent(0x2000, A));
  EXPECT_EQ(T.lookupOrCreate(0x2000, 1, Created, &First), A);
  EXPECT_FALSE(First);
  const uint32_t Epoch = T.retireEpoch();
  EXPECT_EQ(T.retire(0x2000), A);
  EXPECT_EQ(T.retireEpoch(), Epoch + 1);
  EXPECT_FALSE(T.isCurrent(0x2000, A));
  InstanceId B = T.lookupOrCreate(0x2000, 1, Created, &First);
  EXPECT_TRUE(Created);
  EXPECT_FALSE(First); // a lock lived there before: it may still be held
  EXPECT_FALSE(T.isCurrent(0x2000, A));
  EXPECT_TRUE(T.isCurrent(0x2000, B));
  // Another address's retirement does not touch this one.
  T.lookupOrCreate(0x2040, 1, Created);
  T.retire(0x2040);
  EXPECT_TRUE(T.isCurrent(0x2000, B));
  T.destroy();
}

TEST(LockTableTest, DistinctAddressesDistinctInstances) {
  LockTable T;
  ASSERT_TRUE(T.init(12, 12));
  std::set<InstanceId> Ids;
  bool Created;
  for (uintptr_t A = 0; A < 1000; ++A)
    Ids.insert(T.lookupOrCreate(0x7f0000000000 + A * 40, 1, Created));
  EXPECT_EQ(Ids.size(), 1000u);
  EXPECT_EQ(Ids.count(0), 0u);
  EXPECT_EQ(T.lookup(0x12345), 0u); // never seen: not created by lookup
  T.destroy();
}

TEST(LockTableTest, ConcurrentFirstUseCreatesOneInstance) {
  LockTable T;
  ASSERT_TRUE(T.init(10, 12));
  constexpr unsigned Threads = 4;
  std::vector<InstanceId> Got(Threads);
  std::vector<unsigned> Creators(Threads, 0);
  std::vector<std::thread> Ts;
  for (unsigned I = 0; I < Threads; ++I)
    Ts.emplace_back([&, I] {
      bool Created;
      Got[I] = T.lookupOrCreate(0xabc0, 1, Created);
      Creators[I] = Created;
    });
  for (auto &Th : Ts)
    Th.join();
  for (unsigned I = 1; I < Threads; ++I)
    EXPECT_EQ(Got[I], Got[0]);
  EXPECT_EQ(Creators[0] + Creators[1] + Creators[2] + Creators[3], 1u);
  T.destroy();
}

TEST(StackDepotTest, StoresAndReturnsStacks) {
  StackDepot D;
  ASSERT_TRUE(D.init(10, 6));
  uintptr_t A[] = {1, 2, 3}, B[] = {9};
  StackId SA = D.store(A, 3), SB = D.store(B, 1);
  EXPECT_NE(SA, 0u);
  EXPECT_NE(SB, SA);
  unsigned N;
  const uintptr_t *P = D.get(SA, N);
  ASSERT_EQ(N, 3u);
  EXPECT_EQ(P[0], 1u);
  EXPECT_EQ(P[2], 3u);
  P = D.get(SB, N);
  ASSERT_EQ(N, 1u);
  EXPECT_EQ(P[0], 9u);
  EXPECT_EQ(D.store(A, 0), 0u);
  D.get(0, N);
  EXPECT_EQ(N, 0u);
  D.destroy();
}

TEST(StackDepotTest, FullDepotReturnsNoStack) {
  StackDepot D;
  ASSERT_TRUE(D.init(4, 4)); // 16 words
  uintptr_t A[8] = {}, B[8] = {1};
  StackId SA = D.store(A, 8);
  EXPECT_NE(SA, 0u);
  EXPECT_EQ(D.store(B, 8), 0u);
  EXPECT_EQ(D.store(A, 8), SA); // stored before: still found
  D.destroy();
}

TEST(StackDepotTest, EqualStacksAreStoredOnce) {
  StackDepot D;
  ASSERT_TRUE(D.init(12, 8));
  uintptr_t A[] = {0x401000, 0x402000, 0x403000}, B[] = {0x401000, 0x402000},
            C[] = {0x401000, 0x402000, 0x403001};
  StackId SA = D.store(A, 3);
  size_t Used = D.used();
  EXPECT_EQ(D.store(A, 3), SA);
  EXPECT_EQ(D.used(), Used); // nothing appended
  StackId SB = D.store(B, 2), SC = D.store(C, 3);
  EXPECT_NE(SB, SA); // a prefix is another stack
  EXPECT_NE(SC, SA);
  EXPECT_EQ(D.store(B, 2), SB);
  EXPECT_EQ(D.store(C, 3), SC);
  D.destroy();
}

TEST(StackDepotTest, FullIndexStillStoresStacks) {
  StackDepot D;
  ASSERT_TRUE(D.init(12, 2)); // 4 index slots
  std::set<StackId> Ids;
  for (uintptr_t I = 1; I <= 40; ++I) {
    uintptr_t S[] = {I, I + 1};
    StackId Id = D.store(S, 2);
    ASSERT_NE(Id, 0u);
    unsigned N;
    const uintptr_t *P = D.get(Id, N);
    ASSERT_EQ(N, 2u);
    EXPECT_EQ(P[0], I);
    Ids.insert(Id);
  }
  EXPECT_EQ(Ids.size(), 40u);
  D.destroy();
}

TEST(StackDepotTest, ConcurrentStoresOfOneStackAgree) {
  StackDepot D;
  ASSERT_TRUE(D.init(16, 10));
  constexpr unsigned Threads = 4;
  std::vector<std::vector<StackId>> Got(Threads);
  std::vector<std::thread> Ts;
  for (unsigned T = 0; T < Threads; ++T)
    Ts.emplace_back([&, T] {
      for (uintptr_t I = 0; I < 200; ++I) {
        uintptr_t S[] = {0x1000 + I, 0x2000, 0x3000 + I % 7};
        Got[T].push_back(D.store(S, 3));
      }
    });
  for (auto &Th : Ts)
    Th.join();
  // Racing first stores may both append, but every id holds the stack.
  for (unsigned T = 0; T < Threads; ++T)
    for (uintptr_t I = 0; I < 200; ++I) {
      unsigned N;
      const uintptr_t *P = D.get(Got[T][I], N);
      ASSERT_EQ(N, 3u);
      EXPECT_EQ(P[0], 0x1000 + I);
      EXPECT_EQ(P[2], 0x3000 + I % 7);
    }
  // Afterwards one id per stack.
  uintptr_t S[] = {0x1000, 0x2000, 0x3000};
  EXPECT_EQ(D.store(S, 3), D.store(S, 3));
  D.destroy();
}

TEST(KeySetTest, InsertReportsFirstTimeOnly) {
  KeySet K;
  ASSERT_TRUE(K.init(6));
  EXPECT_TRUE(K.insert(11));
  EXPECT_FALSE(K.insert(11));
  EXPECT_TRUE(K.insert(12));
  K.reset();
  EXPECT_TRUE(K.insert(11));
  K.destroy();
}

} // namespace
