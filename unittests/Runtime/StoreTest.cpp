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
  EdgeRecord *Existing = nullptr;
  EdgeRecord *R = S.insert(42, Existing);
  ASSERT_NE(R, nullptr);
  EXPECT_EQ(Existing, nullptr);
  R->From = 1;
  R->To = 2;
  R->Ready.store(1);
  EXPECT_EQ(S.insert(42, Existing), nullptr);
  EXPECT_EQ(Existing, R);
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

TEST(EdgeSetTest, UnpublishedRecordsAreNotVisited) {
  EdgeSet S;
  ASSERT_TRUE(S.init(8));
  EdgeRecord *Existing;
  ASSERT_NE(S.insert(7, Existing), nullptr); // Ready stays 0
  unsigned Seen = 0;
  S.forEach([&](const EdgeRecord &) { ++Seen; });
  EXPECT_EQ(Seen, 0u);
  S.destroy();
}

TEST(EdgeSetTest, FullSetRefusesAndSaysSo) {
  EdgeSet S;
  ASSERT_TRUE(S.init(4)); // 16 slots, 3/4 usable
  EdgeRecord *Existing;
  unsigned Inserted = 0;
  for (uint64_t K = 1; K <= 64; ++K)
    if (S.insert(K, Existing))
      ++Inserted;
  EXPECT_LE(Inserted, 12u);
  EXPECT_GE(Inserted, 8u);
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
      EdgeRecord *Existing;
      for (uint64_t K = 1; K <= Keys; ++K)
        if (EdgeRecord *R = S.insert(mix64(K), Existing)) {
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
  EdgeRecord *Existing;
  EdgeRecord *R = S.insert(5, Existing);
  ASSERT_NE(R, nullptr);
  R->Ready.store(1);
  S.reset();
  EXPECT_EQ(S.size(), 0u);
  EXPECT_NE(S.insert(5, Existing), nullptr);
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
  ASSERT_TRUE(D.init(10));
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
  ASSERT_TRUE(D.init(4)); // 16 words
  uintptr_t A[8] = {};
  EXPECT_NE(D.store(A, 8), 0u);
  EXPECT_EQ(D.store(A, 8), 0u);
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
