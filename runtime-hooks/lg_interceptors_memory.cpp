//===- lg_interceptors_memory.cpp - free(): forget locks in freed memory ----===//
//
// A std::mutex has no destroy call: when its memory is freed and a new lock
// is allocated at the same address, only free() tells the two apart. Every
// lock marks its page and line in two hashed filters; a free() costs
// malloc_usable_size and one bit test per page of the block (nothing at all
// before the first lock), and the lock table is only probed for the 8-byte
// slots of marked lines.
// (`operator delete` reaches free through the PLT; realloc's internal free
// and reuse of stack slots are not seen.)
//
//===----------------------------------------------------------------------===//
#include "lg_internal.h"
#include "lg_real.h"

#include <malloc.h>

using namespace lockgraph::rt;

namespace lockgraph::rt {
/// Two hashed filters of where locks ever lived: one bit per 4 KiB page and
/// one per 64-byte line. A free() looks at the pages its block spans, then
/// at the lines of a marked page, and only probes the lock table for the
/// 8-byte slots of a marked line.
constexpr unsigned PageFilterBits = 1u << 20;
constexpr unsigned LineFilterBits = 1u << 22;
std::atomic<uint64_t> GLockPages[PageFilterBits / 64];
std::atomic<uint64_t> GLockLines[LineFilterBits / 64];
std::atomic<bool> GAnyLock{false};

static inline uint32_t pageBit(uintptr_t Addr) {
  return uint32_t(hashAddr(Addr >> 12) >> 44) & (PageFilterBits - 1);
}
static inline uint32_t lineBit(uintptr_t Addr) {
  return uint32_t(hashAddr(Addr >> 6) >> 42) & (LineFilterBits - 1);
}
static inline void setBit(std::atomic<uint64_t> *Bits, uint32_t B) {
  if (!(Bits[B / 64].load(std::memory_order_relaxed) & (uint64_t(1) << (B % 64))))
    Bits[B / 64].fetch_or(uint64_t(1) << (B % 64), std::memory_order_relaxed);
}
static inline bool testBit(const std::atomic<uint64_t> *Bits, uint32_t B) {
  return Bits[B / 64].load(std::memory_order_relaxed) & (uint64_t(1) << (B % 64));
}

void notePageHasLock(uintptr_t Addr) {
  // A lock may straddle a page or line boundary (pthread_mutex_t: 40 bytes).
  for (uintptr_t A : {Addr, Addr + 39}) {
    setBit(GLockPages, pageBit(A));
    setBit(GLockLines, lineBit(A));
  }
  if (!GAnyLock.load(std::memory_order_relaxed))
    GAnyLock.store(true, std::memory_order_relaxed);
}


void forgetLocksIn(uintptr_t Lo, uintptr_t Hi) {
  for (uintptr_t Page = Lo & ~uintptr_t(4095); Page < Hi; Page += 4096) {
    if (!testBit(GLockPages, pageBit(Page)))
      continue;
    uintptr_t From = Page < Lo ? Lo : Page;
    uintptr_t To = Page + 4096 > Hi ? Hi : Page + 4096;
    for (uintptr_t Line = From & ~uintptr_t(63); Line < To; Line += 64) {
      if (!testBit(GLockLines, lineBit(Line)))
        continue;
      uintptr_t A = Line < From ? (From + 7) & ~uintptr_t(7) : Line;
      uintptr_t E = Line + 64 > To ? To : Line + 64;
      for (; A < E; A += 8)
        if (GLocks.lookup(A))
          GLocks.retire(A);
    }
  }
}
} // namespace lockgraph::rt

namespace {
using FreeFn = void (*)(void *);
FreeFn RealFree;
bool Resolving;
} // namespace

LG_INTERFACE void free(void *P) {
  if (LG_UNLIKELY(!RealFree)) {
    if (Resolving)
      return; // dlsym freeing during our own resolution: leak it
    Resolving = true;
    RealFree = reinterpret_cast<FreeFn>(resolveReal("free", nullptr));
    Resolving = false;
  }
  if (P && GAnyLock.load(std::memory_order_relaxed)) {
    uintptr_t A = reinterpret_cast<uintptr_t>(P);
    size_t N = malloc_usable_size(P);
    forgetLocksIn(A, A + N);
  }
  RealFree(P);
}
