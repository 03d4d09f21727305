//===- EdgeCacheTest.cpp - The per-thread cache of recorded chains ----------===//
#include "lg_internal.h"

#include "gtest/gtest.h"

#include <memory>
#include <vector>

using namespace lockgraph::rt;

namespace {

// The cache is 128 KiB: keep it off the test's stack.
std::unique_ptr<EdgeCache> emptyCache() {
  auto C = std::make_unique<EdgeCache>();
  memset(C.get(), 0, sizeof(EdgeCache));
  return C;
}

/// A chain whose set index is \p Set and whose other bits come from \p N.
uint64_t chainInSet(unsigned Set, uint64_t N) {
  return (uint64_t(Set) << (64 - EdgeCache::SetBits)) |
         ((mix64(N) >> EdgeCache::SetBits) & ~uint64_t(1)) | 1;
}

TEST(EdgeCacheTest, FindsWhatWasInsertedAndNothingElse) {
  auto C = emptyCache();
  std::vector<uint64_t> In, Out;
  for (uint64_t N = 1; N <= 20000; ++N)
    (N % 2 ? In : Out).push_back(mix64(N) | 1);
  for (uint64_t Chain : In)
    C->insert(Chain);
  unsigned Found = 0;
  for (uint64_t Chain : In)
    Found += C->contains(Chain);
  // 10,000 chains in 32,768 ways: a set overflows rarely, if ever.
  EXPECT_GE(Found, 9990u);
  for (uint64_t Chain : Out)
    EXPECT_FALSE(C->contains(Chain));
}

TEST(EdgeCacheTest, ASetHoldsSixteenChainsThenEvictsOne) {
  auto C = emptyCache();
  std::vector<uint64_t> Chains;
  for (uint64_t N = 1; N <= EdgeCache::Ways; ++N)
    Chains.push_back(chainInSet(7, N));
  for (uint64_t Chain : Chains)
    C->insert(Chain);
  for (uint64_t Chain : Chains)
    EXPECT_TRUE(C->contains(Chain));
  uint64_t Extra = chainInSet(7, 1000);
  C->insert(Extra);
  EXPECT_TRUE(C->contains(Extra));
  unsigned Kept = 0;
  for (uint64_t Chain : Chains)
    Kept += C->contains(Chain);
  EXPECT_EQ(Kept, EdgeCache::Ways - 1);
  // Other sets are untouched.
  EXPECT_FALSE(C->contains(chainInSet(8, 1)));
}

TEST(EdgeCacheTest, InsertingTwiceTakesOneWay) {
  auto C = emptyCache();
  uint64_t Chain = chainInSet(3, 42);
  for (int I = 0; I < 20; ++I)
    C->insert(Chain);
  for (uint64_t N = 1; N < EdgeCache::Ways; ++N)
    C->insert(chainInSet(3, N));
  // 1 + 15 chains: all fit, nothing was evicted.
  EXPECT_TRUE(C->contains(Chain));
  for (uint64_t N = 1; N < EdgeCache::Ways; ++N)
    EXPECT_TRUE(C->contains(chainInSet(3, N)));
}

} // namespace
