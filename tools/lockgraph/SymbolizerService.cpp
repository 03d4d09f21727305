//===- SymbolizerService.cpp - One symbolizer for all processes of a run --===//
#include "SymbolizerService.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/raw_socket_stream.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <thread>

using namespace llvm;
using llvm::symbolize::LLVMSymbolizer;

namespace lockgraph::tool {

namespace {
StringRef orUnknown(const std::string &S) {
  return S == DILineInfo::BadString ? StringRef("??") : StringRef(S);
}
} // namespace

struct GlobalMembers::Impl {
  struct Debug {
    object::OwningBinary<object::ObjectFile> Binary;
    std::unique_ptr<DWARFContext> Context;
    /// The module's variables with a location, by name and declaration line
    /// (one pass over its debug information, on first use).
    std::map<std::pair<std::string, uint32_t>, DWARFDie> Variables;
  };
  std::map<std::string, std::unique_ptr<Debug>> Modules; // null: none

  Debug *debugOf(const std::string &Module) {
    auto [It, New] = Modules.try_emplace(Module);
    if (New) {
      Expected<object::OwningBinary<object::ObjectFile>> Bin =
          object::ObjectFile::createObjectFile(Module);
      if (!Bin) {
        consumeError(Bin.takeError());
        return nullptr;
      }
      auto D = std::make_unique<Debug>();
      D->Binary = std::move(*Bin);
      D->Context = DWARFContext::create(*D->Binary.getBinary());
      for (const std::unique_ptr<DWARFUnit> &U : D->Context->info_section_units())
        for (const DWARFDebugInfoEntry &E : U->dies()) {
          DWARFDie V(U.get(), &E);
          if (V.getTag() == dwarf::DW_TAG_variable && V.find(dwarf::DW_AT_location))
            D->Variables.try_emplace(
                {dwarf::toStringRef(V.findRecursively(dwarf::DW_AT_name)).str(),
                 V.getDeclLine()},
                V);
        }
      It->second = std::move(D);
    }
    return It->second.get();
  }

  /// The size of type \p T (arrays: element size times their counts).
  static uint64_t typeSize(DWARFDie T, unsigned Depth = 0) {
    while (T && Depth++ < 16) {
      if (std::optional<uint64_t> Size = dwarf::toUnsigned(T.find(dwarf::DW_AT_byte_size)))
        return *Size;
      if (T.getTag() == dwarf::DW_TAG_array_type) {
        uint64_t N = 1;
        for (DWARFDie Range : T.children()) {
          if (Range.getTag() != dwarf::DW_TAG_subrange_type)
            continue;
          if (std::optional<uint64_t> Count = dwarf::toUnsigned(Range.find(dwarf::DW_AT_count)))
            N *= *Count;
          else if (std::optional<uint64_t> Upper =
                       dwarf::toUnsigned(Range.find(dwarf::DW_AT_upper_bound)))
            N *= *Upper + 1;
          else
            return 0;
        }
        return N * typeSize(T.getAttributeValueAsReferencedDie(dwarf::DW_AT_type), Depth);
      }
      if (!T.find(dwarf::DW_AT_type))
        return 0;
      T = T.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
    }
    return 0;
  }

  /// A lock type, or a struct whose one member is one (nng's nni_mtx): the
  /// lock a member path stops at, as the analyzer names such wrappers.
  static bool isLockLike(DWARFDie T, unsigned Depth = 0) {
    for (; T && Depth < 16; ++Depth) {
      if (const char *Name = T.getShortName();
          Name && llvm::is_contained({"pthread_mutex_t", "pthread_rwlock_t",
                                      "pthread_spinlock_t", "pthread_cond_t", "mtx_t",
                                      "cnd_t", "mutex", "recursive_mutex", "timed_mutex",
                                      "recursive_timed_mutex", "shared_mutex",
                                      "shared_timed_mutex", "condition_variable",
                                      "condition_variable_any"},
                                     StringRef(Name)))
        return true;
      if (T.getTag() == dwarf::DW_TAG_structure_type || T.getTag() == dwarf::DW_TAG_class_type) {
        DWARFDie Only;
        unsigned Members = 0;
        for (DWARFDie Child : T.children())
          if (Child.getTag() == dwarf::DW_TAG_inheritance ||
              (Child.getTag() == dwarf::DW_TAG_member &&
               Child.find(dwarf::DW_AT_data_member_location))) {
            ++Members;
            Only = Child;
          }
        return Members == 1 && Only.getTag() == dwarf::DW_TAG_member &&
               isLockLike(Only.getAttributeValueAsReferencedDie(dwarf::DW_AT_type), Depth + 1);
      }
      if (!llvm::is_contained({dwarf::DW_TAG_typedef, dwarf::DW_TAG_const_type,
                               dwarf::DW_TAG_volatile_type},
                              T.getTag()))
        return false;
      T = T.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
    }
    return false;
  }
};

GlobalMembers::GlobalMembers() : P(std::make_unique<Impl>()) {}
GlobalMembers::~GlobalMembers() = default;

std::optional<GlobalMembers::Member>
GlobalMembers::memberAt(const std::string &Module, StringRef Name, uint32_t DeclLine,
                        uint64_t Offset) {
  Impl::Debug *Debug = P->debugOf(Module);
  if (!Debug)
    return std::nullopt;
  size_t Scope = Name.rfind("::");
  auto Found = Debug->Variables.find(
      {(Scope == StringRef::npos ? Name : Name.drop_front(Scope + 2)).str(), DeclLine});
  if (Found == Debug->Variables.end())
    return std::nullopt;
  DWARFDie Var = Found->second;
  Member M;
  uint64_t Left = Offset;
  DWARFDie Type = Var.getAttributeValueAsReferencedDie(
      Var.findRecursively(dwarf::DW_AT_type).value_or(DWARFFormValue()));
  for (unsigned Depth = 0; Type && Depth < 16; ++Depth) {
    if (Left == 0 && Impl::isLockLike(Type)) {
      if (M.Path.empty())
        return std::nullopt; // the global is the lock
      break;
    }
    switch (Type.getTag()) {
    case dwarf::DW_TAG_typedef:
    case dwarf::DW_TAG_const_type:
    case dwarf::DW_TAG_volatile_type:
      Type = Type.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
      continue;
    case dwarf::DW_TAG_array_type: {
      DWARFDie Element = Type.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
      uint64_t Size = Impl::typeSize(Element);
      if (!Size)
        return std::nullopt;
      M.Path += "[" + std::to_string(Left / Size) + "]";
      M.Offset += Left / Size * Size;
      M.Size = Size;
      Left %= Size;
      Type = Element;
      continue;
    }
    case dwarf::DW_TAG_structure_type:
    case dwarf::DW_TAG_class_type:
    case dwarf::DW_TAG_union_type: {
      DWARFDie Inside;
      uint64_t At = 0;
      for (DWARFDie Child : Type.children()) {
        if (Child.getTag() != dwarf::DW_TAG_member &&
            Child.getTag() != dwarf::DW_TAG_inheritance)
          continue;
        std::optional<uint64_t> Loc =
            dwarf::toUnsigned(Child.find(dwarf::DW_AT_data_member_location));
        uint64_t Size =
            Impl::typeSize(Child.getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
        if (!Loc || Child.find(dwarf::DW_AT_bit_size) || *Loc > Left ||
            Left >= *Loc + std::max<uint64_t>(Size, 1))
          continue;
        Inside = Child;
        At = *Loc;
        M.Size = Size;
        break;
      }
      if (!Inside)
        return M.Path.empty() ? std::nullopt : std::optional<Member>(M);
      if (Inside.getTag() == dwarf::DW_TAG_member) {
        const char *Field = Inside.getShortName();
        if (!Field)
          return std::nullopt;
        M.Path += std::string(".") + Field;
      }
      M.Offset += At;
      Left -= At;
      Type = Inside.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
      continue;
    }
    default:
      break;
    }
    break;
  }
  if (M.Path.empty() || Left != 0)
    return std::nullopt;
  return M;
}

std::string answerSymbolizerQueries(StringRef Queries, LLVMSymbolizer &Symbolizer,
                                    GlobalMembers *Members) {
  std::string Answer;
  raw_string_ostream OS(Answer);
  SmallVector<StringRef> Lines;
  Queries.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  for (StringRef Line : Lines) {
    Line = Line.trim();
    bool IsCode = Line.consume_front("CODE ");
    bool IsData = !IsCode && Line.consume_front("DATA ");
    StringRef Module, OffsetText;
    if (Line.consume_front("\"")) {
      size_t Quote = Line.rfind('"');
      if (Quote != StringRef::npos) {
        Module = Line.take_front(Quote);
        OffsetText = Line.drop_front(Quote + 1).trim();
      }
    }
    uint64_t Offset = 0;
    // Every query gets a block, so that the answers stay in step with them.
    if ((!IsCode && !IsData) || Module.empty() ||
        OffsetText.getAsInteger(0, Offset)) {
      OS << "??\n??:0:0\n\n";
      continue;
    }
    object::SectionedAddress Address{Offset,
                                     object::SectionedAddress::UndefSection};
    if (IsCode) {
      Expected<DIInliningInfo> Info =
          Symbolizer.symbolizeInlinedCode(Module.str(), Address);
      if (!Info || Info->getNumberOfFrames() == 0) {
        if (!Info)
          consumeError(Info.takeError());
        OS << "??\n??:0:0\n\n";
        continue;
      }
      for (uint32_t I = 0; I < Info->getNumberOfFrames(); ++I) {
        const DILineInfo &F = Info->getFrame(I);
        OS << orUnknown(F.FunctionName) << "\n"
           << orUnknown(F.FileName) << ":" << F.Line << ":" << F.Column
           << "\n";
      }
      OS << "\n";
    } else {
      Expected<DIGlobal> Global =
          Symbolizer.symbolizeData(Module.str(), Address);
      if (!Global) {
        consumeError(Global.takeError());
        OS << "??\n0 0\n\n";
        continue;
      }
      // A lock inside a global aggregate is named as its member.
      if (Members && Global->Name != DILineInfo::BadString &&
          Offset >= Global->Start && Offset < Global->Start + Global->Size)
        if (std::optional<GlobalMembers::Member> M = Members->memberAt(
                Module.str(), Global->Name, Global->DeclLine, Offset - Global->Start)) {
          Global->Name += M->Path;
          Global->Start += M->Offset;
          Global->Size = M->Size;
        }
      OS << orUnknown(Global->Name) << "\n"
         << Global->Start << " " << Global->Size << "\n";
      if (!Global->DeclFile.empty())
        OS << Global->DeclFile << ":" << Global->DeclLine << "\n";
      OS << "\n";
    }
  }
  return Answer;
}

struct SymbolizerService::Impl {
  std::optional<ListeningSocket> Socket;
  std::thread Server;
  std::atomic<bool> Stopping{false};
  LLVMSymbolizer Symbolizer;
  GlobalMembers Members;

  void serve() {
    sigset_t Pipe;
    sigemptyset(&Pipe);
    sigaddset(&Pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &Pipe, nullptr);
    unsigned Failures = 0;
    while (!Stopping && Failures < 100) {
      Expected<std::unique_ptr<raw_socket_stream>> Client = Socket->accept();
      if (!Client) {
        consumeError(Client.takeError());
        ++Failures;
        continue;
      }
      Failures = 0;
      answer(**Client);
      // A process that went away or stopped sending is not an error of
      // ours (SIGPIPE is blocked in this thread), and raw_fd_ostream treats
      // an unchecked one as fatal.
      (*Client)->clear_error();
    }
  }

  void answer(raw_socket_stream &Client) {
    // A process that stops sending (stopped, or not ours) is dropped after
    // a while, not waited for.
    constexpr std::chrono::milliseconds ReadTimeout(10000);
    constexpr size_t MaxRequest = size_t(64) << 20;
    std::string Request;
    char Buf[65536];
    for (;;) {
      ssize_t N = Client.read(Buf, sizeof(Buf), ReadTimeout);
      if (N < 0 || Request.size() + size_t(N) > MaxRequest)
        return;
      if (N == 0)
        break;
      Request.append(Buf, size_t(N));
    }
    Client << answerSymbolizerQueries(Request, Symbolizer, &Members);
    Client.flush();
  }
};

SymbolizerService::SymbolizerService() : P(std::make_unique<Impl>()) {}

SymbolizerService::~SymbolizerService() { stop(); }

Error SymbolizerService::start(StringRef SocketPath) {
  Expected<ListeningSocket> Socket =
      ListeningSocket::createUnix(SocketPath, /*MaxBacklog=*/128);
  if (!Socket)
    return Socket.takeError();
  P->Socket.emplace(std::move(*Socket));
  P->Server = std::thread([Impl = P.get()] { Impl->serve(); });
  return Error::success();
}

void SymbolizerService::stop() {
  if (!P->Socket)
    return;
  P->Stopping = true;
  P->Socket->shutdown();
  if (P->Server.joinable())
    P->Server.join();
  P->Socket.reset();
}

} // namespace lockgraph::tool
