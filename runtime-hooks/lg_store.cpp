//===- lg_store.cpp - Lock-free tables of the preload runtime ---------------===//
#include "lg_store.h"

#include <sys/mman.h>

namespace lockgraph::rt {

void *mapZeroed(size_t Bytes) {
  void *P = mmap(nullptr, Bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return P == MAP_FAILED ? nullptr : P;
}

void unmapMemory(void *P, size_t Bytes) {
  if (P)
    munmap(P, Bytes);
}

void discardMemory(void *P, size_t Bytes) {
  if (P)
    madvise(P, Bytes, MADV_DONTNEED);
}

//===----------------------------------------------------------------------===//
// LockTable
//===----------------------------------------------------------------------===//

bool LockTable::init(unsigned Log2Slots, unsigned Log2Instances) {
  size_t N = size_t(1) << Log2Slots;
  Slots = static_cast<Slot *>(mapZeroed(N * sizeof(Slot)));
  Mask = N - 1;
  InstanceCap = uint32_t(1) << Log2Instances;
  Instances = static_cast<InstanceInfo *>(
      mapZeroed(size_t(InstanceCap) * sizeof(InstanceInfo)));
  NextInstance.store(1);
  return Slots && Instances;
}

void LockTable::destroy() {
  unmapMemory(Slots, (Mask + 1) * sizeof(Slot));
  unmapMemory(Instances, size_t(InstanceCap) * sizeof(InstanceInfo));
  Slots = nullptr;
  Instances = nullptr;
}

void LockTable::reset() {
  discardMemory(Slots, (Mask + 1) * sizeof(Slot));
  discardMemory(Instances, size_t(InstanceCap) * sizeof(InstanceInfo));
  NextInstance.store(1);
  Overflow.store(false);
}

LockTable::Slot *LockTable::findSlot(uintptr_t Addr, bool Insert,
                                     bool *Inserted) {
  size_t I = slotOf(Addr);
  for (size_t Probe = 0; Probe <= Mask / 2; ++Probe, I = (I + 1) & Mask) {
    uintptr_t Cur = Slots[I].Addr.load(std::memory_order_acquire);
    if (Cur == Addr)
      return &Slots[I];
    if (Cur == 0) {
      if (!Insert)
        return nullptr;
      uintptr_t Expected = 0;
      if (Slots[I].Addr.compare_exchange_strong(Expected, Addr,
                                                std::memory_order_acq_rel)) {
        if (Inserted)
          *Inserted = true;
        return &Slots[I];
      }
      if (Expected == Addr)
        return &Slots[I];
    }
  }
  Overflow.store(true, std::memory_order_relaxed);
  return nullptr;
}

const LockTable::Slot *LockTable::findSlotConst(uintptr_t Addr) const {
  return const_cast<LockTable *>(this)->findSlot(Addr, false);
}

InstanceId LockTable::lookupOrCreate(uintptr_t Addr, uint8_t Kind,
                                     bool &Created, bool *FirstAtAddress) {
  Created = false;
  bool Inserted = false;
  Slot *S = findSlot(Addr, true, &Inserted);
  if (FirstAtAddress)
    *FirstAtAddress = false;
  if (!S)
    return 0;
  InstanceId Id = S->Instance.load(std::memory_order_acquire);
  if (Id != 0)
    return Id;
  uint32_t New = NextInstance.fetch_add(1, std::memory_order_relaxed);
  if (New >= InstanceCap) {
    Overflow.store(true, std::memory_order_relaxed);
    return 0;
  }
  InstanceInfo &Info = Instances[New];
  Info.Addr = Addr;
  Info.Kind = Kind;
  Info.FirstStack = 0;
  Info.FrameKey = 0;
  InstanceId Expected = 0;
  if (S->Instance.compare_exchange_strong(Expected, New,
                                          std::memory_order_acq_rel)) {
    Created = true;
    if (FirstAtAddress)
      *FirstAtAddress = Inserted;
    return New;
  }
  // Lost the race: the number stays unused (its Ready stays 0).
  return Expected;
}

InstanceId LockTable::lookup(uintptr_t Addr) const {
  const Slot *S = findSlotConst(Addr);
  return S ? S->Instance.load(std::memory_order_acquire) : 0;
}

InstanceId LockTable::retire(uintptr_t Addr) {
  Slot *S = findSlot(Addr, false);
  InstanceId Old = S ? S->Instance.exchange(0, std::memory_order_acq_rel) : 0;
  // After the slot: a thread that sees the new epoch sees the slot's
  // instance gone too (revalidateFastMutexes).
  if (Old)
    RetireEpoch.fetch_add(1, std::memory_order_release);
  return Old;
}

//===----------------------------------------------------------------------===//
// EdgeSet
//===----------------------------------------------------------------------===//

bool EdgeSet::init(unsigned Log2Slots) {
  size_t N = size_t(1) << Log2Slots;
  RecordCap = N / 4 * 3;
  Slots = static_cast<KeySlot *>(mapZeroed(N * sizeof(KeySlot)));
  Records = static_cast<EdgeRecord *>(mapZeroed(RecordCap * sizeof(EdgeRecord)));
  Mask = N - 1;
  return Slots && Records;
}

void EdgeSet::destroy() {
  unmapMemory(Slots, (Mask + 1) * sizeof(KeySlot));
  unmapMemory(Records, RecordCap * sizeof(EdgeRecord));
  Slots = nullptr;
  Records = nullptr;
}

void EdgeSet::reset() {
  discardMemory(Slots, (Mask + 1) * sizeof(KeySlot));
  discardMemory(Records, RecordCap * sizeof(EdgeRecord));
  Size.store(0);
  Overflow.store(false);
}

EdgeRecord *EdgeSet::insert(uint64_t Key, EdgeRecord *&Found) {
  Found = nullptr;
  if (Key == 0)
    Key = 1;
  size_t I = mix64(Key) & Mask;
  // While there is room, a slot is claimed by a write before anything reads
  // it: a read of a page no one touched yet maps the shared zero page, and
  // the write that follows replaces it, a second fault and a TLB shootdown
  // sent to every CPU the process runs on (most new edges land on such a
  // page: 1,300 of each in memcached's first 160,000 requests).
  const bool Room = Size.load(std::memory_order_relaxed) < RecordCap;
  for (size_t Probe = 0; Probe <= Mask; ++Probe, I = (I + 1) & Mask) {
    KeySlot &S = Slots[I];
    uint64_t Cur = 0;
    if (!Room) {
      Cur = S.Key.load(std::memory_order_acquire);
      if (Cur == 0)
        break;
    } else if (S.Key.compare_exchange_strong(Cur, Key,
                                             std::memory_order_acq_rel)) {
      S.Count.store(1, std::memory_order_relaxed);
      size_t At = Size.fetch_add(1, std::memory_order_acq_rel);
      if (At >= RecordCap)
        break; // the key stays, counted, with no record
      Records[At].Slot = uint32_t(I);
      S.Record.store(uint32_t(At + 1), std::memory_order_release);
      return &Records[At];
    }
    // Cur is the slot's key (another one, or this one recorded before).
    if (Cur == Key) {
      S.Count.fetch_add(1, std::memory_order_relaxed);
      if (uint32_t R = S.Record.load(std::memory_order_acquire))
        Found = &Records[R - 1];
      return nullptr;
    }
  }
  Overflow.store(true, std::memory_order_relaxed);
  return nullptr;
}

//===----------------------------------------------------------------------===//
// StackDepot
//===----------------------------------------------------------------------===//

bool StackDepot::init(unsigned Log2Words, unsigned Log2Index) {
  Cap = size_t(1) << Log2Words;
  Words = static_cast<uintptr_t *>(mapZeroed(Cap * sizeof(uintptr_t)));
  size_t N = size_t(1) << Log2Index;
  Index = static_cast<std::atomic<uint64_t> *>(
      mapZeroed(N * sizeof(std::atomic<uint64_t>)));
  IndexMask = N - 1;
  Used.store(1);
  return Words != nullptr && Index != nullptr;
}

void StackDepot::destroy() {
  unmapMemory(Words, Cap * sizeof(uintptr_t));
  unmapMemory(Index, (IndexMask + 1) * sizeof(std::atomic<uint64_t>));
  Words = nullptr;
  Index = nullptr;
}

void StackDepot::reset() {
  discardMemory(Words, Cap * sizeof(uintptr_t));
  discardMemory(Index, (IndexMask + 1) * sizeof(std::atomic<uint64_t>));
  Used.store(1);
}

StackId StackDepot::append(const uintptr_t *PCs, unsigned N) {
  size_t At = Used.fetch_add(N + 1, std::memory_order_relaxed);
  if (At + N + 1 > Cap || At > 0xffffffffu)
    return 0;
  for (unsigned I = 0; I < N; ++I)
    Words[At + 1 + I] = PCs[I];
  Words[At] = N;
  return StackId(At);
}

bool StackDepot::equal(StackId Id, const uintptr_t *PCs, unsigned N) const {
  if (Words[Id] != N)
    return false;
  for (unsigned I = 0; I < N; ++I)
    if (Words[Id + 1 + I] != PCs[I])
      return false;
  return true;
}

StackId StackDepot::store(const uintptr_t *PCs, unsigned N) {
  if (N == 0 || !Words)
    return 0;
  uint64_t H = mix64(N);
  for (unsigned I = 0; I < N; ++I)
    H = mix64(H ^ PCs[I]);
  const uint64_t Tag = H & ~uint64_t(0xffffffff);
  size_t I = (H >> 7) & IndexMask;
  StackId Mine = 0;
  // A short probe: a full neighbourhood just stores the stack again.
  for (unsigned Probe = 0; Index && Probe < 32; ++Probe, I = (I + 1) & IndexMask) {
    uint64_t Cur = Index[I].load(std::memory_order_acquire);
    if (Cur == 0) {
      if (!Mine && !(Mine = append(PCs, N)))
        return 0;
      uint64_t Expected = 0;
      if (Index[I].compare_exchange_strong(Expected, Tag | Mine,
                                           std::memory_order_acq_rel))
        return Mine;
      Cur = Expected; // someone else took the slot: maybe with our stack
    }
    if ((Cur & ~uint64_t(0xffffffff)) == Tag &&
        equal(StackId(Cur & 0xffffffff), PCs, N))
      return StackId(Cur & 0xffffffff); // (Mine, if any, stays unused)
  }
  return Mine ? Mine : append(PCs, N);
}

const uintptr_t *StackDepot::get(StackId Id, unsigned &N) const {
  N = 0;
  if (Id == 0 || !Words || Id >= Cap)
    return nullptr;
  N = unsigned(Words[Id]);
  return &Words[Id + 1];
}

//===----------------------------------------------------------------------===//
// KeySet
//===----------------------------------------------------------------------===//

bool KeySet::init(unsigned Log2Slots) {
  size_t N = size_t(1) << Log2Slots;
  Keys = static_cast<std::atomic<uint64_t> *>(
      mapZeroed(N * sizeof(std::atomic<uint64_t>)));
  Mask = N - 1;
  return Keys != nullptr;
}

void KeySet::destroy() {
  unmapMemory(Keys, (Mask + 1) * sizeof(std::atomic<uint64_t>));
  Keys = nullptr;
}

void KeySet::reset() { discardMemory(Keys, (Mask + 1) * sizeof(uint64_t)); }

bool KeySet::insert(uint64_t Key) {
  if (!Keys)
    return false;
  if (Key == 0)
    Key = 1;
  size_t I = mix64(Key) & Mask;
  for (size_t Probe = 0; Probe <= Mask; ++Probe, I = (I + 1) & Mask) {
    uint64_t Cur = Keys[I].load(std::memory_order_acquire);
    if (Cur == Key)
      return false;
    if (Cur == 0) {
      uint64_t Expected = 0;
      if (Keys[I].compare_exchange_strong(Expected, Key,
                                          std::memory_order_acq_rel))
        return true;
      if (Expected == Key)
        return false;
    }
  }
  return false;
}

} // namespace lockgraph::rt
