//===- SymbolizerService.cpp - One symbolizer for all processes of a run --===//
#include "SymbolizerService.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/DebugInfo/DWARF/DWARFCompileUnit.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
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
std::optional<std::vector<std::string>> memberChain(StringRef E);

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
    /// The structs, classes and unions defined in the module, by qualified
    /// name, for members of types a unit only declares (built on first use).
    std::optional<std::map<std::string, DWARFDie>> Definitions;
  };
  std::map<std::string, std::unique_ptr<Debug>> Modules; // null: none
  /// Source files read for memberAtSite, split into lines (empty: unreadable).
  std::map<std::string, std::pair<std::unique_ptr<MemoryBuffer>, std::vector<StringRef>>>
      Sources;

  std::optional<StringRef> sourceLine(const std::string &File, uint32_t Line) {
    auto [It, New] = Sources.try_emplace(File);
    if (New)
      if (ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer = MemoryBuffer::getFile(File)) {
        It->second.first = std::move(*Buffer);
        SmallVector<StringRef> Lines;
        It->second.first->getBuffer().split(Lines, '\n');
        It->second.second.assign(Lines.begin(), Lines.end());
      }
    const std::vector<StringRef> &Lines = It->second.second;
    if (Line == 0 || Line > Lines.size())
      return std::nullopt;
    return Lines[Line - 1];
  }

  /// "ns::Outer::Record" without template arguments, inline or anonymous
  /// namespaces (as the analyzer names records); \p TypedefName names an
  /// anonymous one. Empty when a part has no name.
  static std::string qualifiedName(DWARFDie Record, StringRef TypedefName = {}) {
    auto Plain = [](const char *Name) {
      StringRef N(Name ? Name : "");
      return N.take_until([](char C) { return C == '<'; }).str();
    };
    std::string Name = Record.getShortName() ? Plain(Record.getShortName()) : TypedefName.str();
    if (Name.empty())
      return {};
    for (DWARFDie Parent = Record.getParent(); Parent; Parent = Parent.getParent()) {
      switch (Parent.getTag()) {
      case dwarf::DW_TAG_namespace:
        if (Parent.getShortName() && !Parent.find(dwarf::DW_AT_export_symbols))
          Name = Plain(Parent.getShortName()) + "::" + Name;
        continue;
      case dwarf::DW_TAG_structure_type:
      case dwarf::DW_TAG_class_type:
      case dwarf::DW_TAG_union_type:
        if (!Parent.getShortName())
          return {};
        Name = Plain(Parent.getShortName()) + "::" + Name;
        continue;
      default:
        break;
      }
      break;
    }
    return Name;
  }

  /// What \p T is through typedefs, qualifiers, pointers and references;
  /// the last typedef's name in \p TypedefName.
  static DWARFDie underlyingType(DWARFDie T, std::string &TypedefName) {
    for (unsigned Depth = 0; T && Depth < 16; ++Depth) {
      switch (T.getTag()) {
      case dwarf::DW_TAG_typedef:
        if (const char *Name = T.getShortName())
          TypedefName = Name;
        [[fallthrough]];
      case dwarf::DW_TAG_const_type:
      case dwarf::DW_TAG_volatile_type:
      case dwarf::DW_TAG_restrict_type:
      case dwarf::DW_TAG_pointer_type:
      case dwarf::DW_TAG_reference_type:
      case dwarf::DW_TAG_rvalue_reference_type:
        T = T.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
        continue;
      default:
        return T;
      }
    }
    return {};
  }

  /// What the local pointer or reference \p Var, used at \p File:\p UseLine,
  /// points to: the member chain of its initializer (`pthread_mutex_t *m =
  /// &q->lock;` -> {q, lock}), when it is declared with one in the same
  /// file above that line and not assigned again before it. A parameter, or
  /// a pointer assigned anywhere in between, may point elsewhere.
  std::optional<std::vector<std::string>> madeFrom(DWARFDie Var, const std::string &File,
                                                   uint32_t UseLine) {
    if (Var.getTag() != dwarf::DW_TAG_variable)
      return std::nullopt;
    DWARFDie Type = typeOf(Var);
    while (Type && (Type.getTag() == dwarf::DW_TAG_const_type ||
                    Type.getTag() == dwarf::DW_TAG_typedef))
      Type = Type.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
    if (!Type || !llvm::is_contained({dwarf::DW_TAG_pointer_type, dwarf::DW_TAG_reference_type,
                                      dwarf::DW_TAG_rvalue_reference_type},
                                     Type.getTag()))
      return std::nullopt;
    const uint32_t DeclLine = Var.getDeclLine();
    const char *Name = Var.getShortName();
    if (!Name || DeclLine == 0 || DeclLine >= UseLine || UseLine - DeclLine > 200 ||
        Var.getDeclFile(DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath) != File)
      return std::nullopt;
    auto AssignedAt = [&](StringRef Text) -> std::optional<size_t> {
      for (size_t At = Text.find(Name); At != StringRef::npos; At = Text.find(Name, At + 1)) {
        StringRef Before = Text.take_front(At).rtrim();
        if (!Before.empty() && (isAlnum(Before.back()) || Before.back() == '_' ||
                                Before.back() == '.' || Before.back() == '>'))
          continue;
        StringRef After = Text.drop_front(At + strlen(Name));
        if (!After.empty() && (isAlnum(After.front()) || After.front() == '_'))
          continue;
        After = After.ltrim();
        if (After.starts_with("=") && !After.starts_with("=="))
          return Text.size() - After.size() + 1;
      }
      return std::nullopt;
    };
    for (uint32_t L = DeclLine + 1; L < UseLine; ++L)
      if (std::optional<StringRef> Text = sourceLine(File, L); !Text || AssignedAt(*Text))
        return std::nullopt;
    std::optional<StringRef> Decl = sourceLine(File, DeclLine);
    std::optional<size_t> Init = Decl ? AssignedAt(*Decl) : std::nullopt;
    if (!Init)
      return std::nullopt;
    StringRef Rest = Decl->drop_front(*Init);
    unsigned Depth = 0;
    size_t End = 0;
    for (; End < Rest.size(); ++End) {
      const char C = Rest[End];
      if (C == '(' || C == '[')
        ++Depth;
      else if ((C == ')' || C == ']') && Depth)
        --Depth;
      else if ((C == ',' || C == ';') && Depth == 0)
        break;
    }
    if (End == Rest.size())
      return std::nullopt; // continued on the next line
    return memberChain(Rest.take_front(End));
  }

  static bool isRecord(DWARFDie T) {
    return T && llvm::is_contained({dwarf::DW_TAG_structure_type, dwarf::DW_TAG_class_type,
                                    dwarf::DW_TAG_union_type},
                                   T.getTag());
  }

  /// The record \p T is (underlyingType), its definition when the unit only
  /// declares it; null for anything else.
  DWARFDie recordOf(Debug &D, DWARFDie T, std::string &TypedefName) {
    T = underlyingType(T, TypedefName);
    if (!isRecord(T))
      return {};
    return T.find(dwarf::DW_AT_declaration) ? definitionOf(D, qualifiedName(T, TypedefName)) : T;
  }

  DWARFDie definitionOf(Debug &D, const std::string &Name) {
    if (Name.empty())
      return {};
    if (!D.Definitions) {
      D.Definitions.emplace();
      for (const std::unique_ptr<DWARFUnit> &U : D.Context->info_section_units())
        for (const DWARFDebugInfoEntry &E : U->dies()) {
          DWARFDie T(U.get(), &E);
          if (isRecord(T) && T.getShortName() && !T.find(dwarf::DW_AT_declaration))
            D.Definitions->try_emplace(qualifiedName(T), T);
        }
    }
    auto It = D.Definitions->find(Name);
    return It == D.Definitions->end() ? DWARFDie() : It->second;
  }

  /// The member \p Name of \p Record or of one of its bases; \p Owner is the
  /// record that declares it. A lambda's captured `this` is followed.
  DWARFDie memberOf(Debug &D, DWARFDie Record, StringRef Name, DWARFDie &Owner,
                    unsigned Depth = 0) {
    if (!Record || Depth > 8)
      return {};
    DWARFDie CapturedThis;
    for (DWARFDie Child : Record.children()) {
      const char *ChildName = Child.getShortName();
      if (Child.getTag() == dwarf::DW_TAG_member && ChildName) {
        if (Name == ChildName) {
          Owner = Record;
          return Child;
        }
        if (StringRef(ChildName) == "this")
          CapturedThis = Child;
      }
    }
    for (DWARFDie Child : Record.children())
      if (Child.getTag() == dwarf::DW_TAG_inheritance) {
        std::string Unused;
        if (DWARFDie M = memberOf(D, recordOf(D, typeOf(Child), Unused), Name, Owner, Depth + 1))
          return M;
      }
    if (CapturedThis) {
      std::string Unused;
      return memberOf(D, recordOf(D, typeOf(CapturedThis), Unused), Name, Owner, Depth + 1);
    }
    // A smart pointer's members are those of what its `->` returns.
    if (DWARFDie Arrow = methodOf(Record, "operator->")) {
      std::string Unused;
      return memberOf(D, recordOf(D, typeOf(Arrow), Unused), Name, Owner, Depth + 1);
    }
    return {};
  }

  /// The method \p Name declared in \p Record (its return type is the
  /// DIE's type).
  static DWARFDie methodOf(DWARFDie Record, StringRef Name) {
    for (DWARFDie Child : Record.children())
      if (Child.getTag() == dwarf::DW_TAG_subprogram)
        if (const char *ChildName = Child.getShortName(); ChildName && Name == ChildName)
          return Child;
    return {};
  }

  /// The variable of the data symbol \p Name declared at \p DeclLine: a
  /// global (`ns::g_state`), or a function's static, which C compilers name
  /// `function.variable` (clang) or `variable.N` (gcc).
  DWARFDie variableOfSymbol(Debug &D, StringRef Name, uint32_t DeclLine) {
    if (size_t Scope = Name.rfind("::"); Scope != StringRef::npos)
      Name = Name.drop_front(Scope + 2);
    if (Name.contains('.')) {
      auto [Before, After] = Name.rsplit('.');
      Name = !After.empty() && llvm::all_of(After, isDigit) ? Before : After;
    }
    auto Found = D.Variables.find({Name.str(), DeclLine});
    return Found == D.Variables.end() ? DWARFDie() : Found->second;
  }

  /// Whether \p T is a struct, class or union (declared or defined), or a
  /// typedef, through qualifiers, pointers and references.
  static bool namesRecord(DWARFDie T) {
    std::string TypedefName;
    return isRecord(underlyingType(T, TypedefName)) || !TypedefName.empty();
  }

  static DWARFDie typeOf(DWARFDie Die) {
    std::optional<DWARFFormValue> Type = Die.findRecursively(dwarf::DW_AT_type);
    return Type ? Die.getAttributeValueAsReferencedDie(*Type) : DWARFDie();
  }

  /// The parameter or local variable \p Name of the function (or inlined
  /// call) \p Scope, outside the calls inlined into it.
  static DWARFDie variableIn(DWARFDie Scope, StringRef Name, unsigned Depth = 0) {
    if (Depth > 32)
      return {};
    for (DWARFDie Child : Scope.children()) {
      switch (Child.getTag()) {
      case dwarf::DW_TAG_formal_parameter:
      case dwarf::DW_TAG_variable:
        if (const char *ChildName = Child.getShortName(); ChildName && Name == ChildName)
          return Child;
        break;
      case dwarf::DW_TAG_lexical_block:
        if (DWARFDie Inside = variableIn(Child, Name, Depth + 1))
          return Inside;
        break;
      default:
        break;
      }
    }
    // An inlined call lists only the variables it keeps a location for;
    // the function it is an instance of lists them all (`this`, optimized
    // out of an inlined lambda).
    if (Depth == 0)
      if (DWARFDie Origin = Scope.getAttributeValueAsReferencedDie(dwarf::DW_AT_abstract_origin))
        return variableIn(Origin, Name, Depth + 1);
    return {};
  }

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
  DWARFDie Var = P->variableOfSymbol(*Debug, Name, DeclLine);
  if (!Var)
    return std::nullopt;
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
      // Bytes are storage for an object built in them (leveldb's
      // SingletonEnv constructs its PosixEnv in an aligned char array): the
      // lock is a member of a type this global does not say.
      if (!Size || Size == 1)
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

std::optional<std::string> GlobalMembers::functionStaticName(const std::string &Module,
                                                             StringRef Name,
                                                             uint32_t DeclLine) {
  if (!Name.contains('.') || Name.contains("::"))
    return std::nullopt;
  Impl::Debug *Debug = P->debugOf(Module);
  DWARFDie Var = Debug ? P->variableOfSymbol(*Debug, Name, DeclLine) : DWARFDie();
  if (!Var || !Var.getShortName())
    return std::nullopt;
  for (DWARFDie Scope = Var.getParent(); Scope; Scope = Scope.getParent())
    if (Scope.getTag() == dwarf::DW_TAG_subprogram) {
      const char *Function = Scope.getSubroutineName(DINameKind::ShortName);
      if (!Function)
        return std::nullopt;
      return std::string(Function) + "::" + Var.getShortName();
    }
  return std::nullopt;
}

std::optional<std::string> GlobalMembers::memberAtSite(const std::string &Module,
                                                       uint64_t Address, const std::string &File,
                                                       uint32_t Line, uint32_t Column) {
  // A relative path would be read from this process's directory, maybe
  // another file: only a path the debug information makes absolute.
  Impl::Debug *Debug = sys::path::is_absolute(File) ? P->debugOf(Module) : nullptr;
  std::optional<StringRef> Text = Debug ? P->sourceLine(File, Line) : std::nullopt;
  std::optional<std::vector<std::string>> Chain =
      Text ? lockExpressionAt(*Text, Column) : std::nullopt;
  DWARFCompileUnit *Unit =
      Chain ? Debug->Context->getCompileUnitForCodeAddress(Address) : nullptr;
  if (!Unit)
    return std::nullopt;
  SmallVector<DWARFDie, 4> Inlined;
  Unit->getInlinedChainForAddress(Address, Inlined);
  if (Inlined.empty())
    return std::nullopt;
  // The frame written at Line:Column: the innermost one, or the function
  // the call inlined at that place was inlined into (the lock guard's or
  // wrapper's code, inlined, comes before the user's frame).
  DWARFDie Scope = Inlined.front();
  for (size_t K = 1; K < Inlined.size(); ++K)
    if (dwarf::toUnsigned(Inlined[K - 1].find(dwarf::DW_AT_call_line)) == Line &&
        dwarf::toUnsigned(Inlined[K - 1].find(dwarf::DW_AT_call_column)).value_or(0) == Column) {
      Scope = Inlined[K];
      break;
    }
  // `mu_` or `box_.m` in a method is a member of `this`, unless the function
  // has a variable of that name (`mu_` alone is then that variable, not a
  // member: no type names it).
  std::vector<std::string> Path = *Chain;
  DWARFDie Base = Impl::variableIn(Scope, Path.front());
  // `pthread_mutex_lock(m)` after `pthread_mutex_t *m = &q->lock;`: the lock
  // is the one the pointer was made from, as the analyzer follows it.
  for (unsigned Hops = 0; Base && Path.size() == 1 && Hops < 4; ++Hops) {
    std::optional<std::vector<std::string>> From = P->madeFrom(Base, File, Line);
    if (!From)
      break;
    Path = std::move(*From);
    Base = Impl::variableIn(Scope, Path.front());
  }
  if (Base && Path.size() == 1)
    return std::nullopt;
  if (!Base) {
    Path.insert(Path.begin(), "this");
    Base = Impl::variableIn(Scope, "this");
  }
  if (!Base)
    return std::nullopt;
  std::string TypedefName;
  DWARFDie Record = P->recordOf(*Debug, Impl::typeOf(Base), TypedefName);
  std::string Name;
  for (size_t I = 1; I < Path.size(); ++I) {
    // `writers_.front()->cv`: what the method returns.
    if (StringRef Call = Path[I]; Call.consume_back("()")) {
      DWARFDie Method = Record ? Impl::methodOf(Record, Call) : DWARFDie();
      if (!Method || I + 1 == Path.size())
        return std::nullopt;
      TypedefName.clear();
      Record = P->recordOf(*Debug, Impl::typeOf(Method), TypedefName);
      continue;
    }
    DWARFDie Owner;
    DWARFDie Member = P->memberOf(*Debug, Record, Path[I], Owner);
    if (!Member)
      return std::nullopt;
    // A struct whose one member is the lock (nng's nni_mtx) is the lock, as
    // the analyzer and global members name it.
    if (I + 1 == Path.size() || Impl::isLockLike(Impl::typeOf(Member))) {
      // A lock is a record (a mutex class, pthread_mutex_t's union; this
      // module may only declare it, as a program does a library's class)
      // or a typedef of one (pthread_spinlock_t), never a bare number.
      if (!Impl::namesRecord(Impl::typeOf(Member)))
        return std::nullopt;
      std::string OwnerName = Impl::qualifiedName(Owner, Owner == Record ? TypedefName : "");
      if (OwnerName.empty())
        return std::nullopt;
      Name = OwnerName + "::" + Path[I];
      break;
    }
    TypedefName.clear();
    Record = P->recordOf(*Debug, Impl::typeOf(Member), TypedefName);
  }
  if (Name.empty())
    return std::nullopt;
  return Name;
}

namespace {
bool isIdentifierChar(char C) { return isAlnum(C) || C == '_'; }

/// `a->b.c` (also `&a->b`, `*p`, `(a->b)`, `this->b`) as {a, b, c}.
std::optional<std::vector<std::string>> memberChain(StringRef E) {
  E = E.trim();
  for (bool Stripped = true; Stripped;) {
    Stripped = false;
    if (E.consume_front("&") || E.consume_front("*")) {
      E = E.ltrim();
      Stripped = true;
    }
    if (E.size() >= 2 && E.front() == '(' && E.back() == ')') {
      E = E.drop_front().drop_back().trim();
      Stripped = true;
    }
  }
  std::vector<std::string> Chain;
  for (;;) {
    E = E.ltrim();
    StringRef Name = E.take_while(isIdentifierChar);
    if (Name.empty() || isDigit(Name.front()))
      return std::nullopt;
    Chain.push_back(Name.str());
    E = E.drop_front(Name.size()).ltrim();
    // A method called with no arguments (`front()`), not the first name.
    if (Chain.size() > 1 && E.consume_front("()")) {
      Chain.back() += "()";
      E = E.ltrim();
    }
    if (E.empty())
      return Chain;
    if (!E.consume_front("->") && !E.consume_front("."))
      return std::nullopt;
  }
}
} // namespace

std::optional<std::vector<std::string>> lockExpressionAt(StringRef Text, unsigned Column) {
  // Without a column (-gno-column-info), which call of the line it is is
  // not known.
  if (Column == 0 || Column > Text.size())
    return std::nullopt;
  const size_t At = Column - 1;
  const size_t NameEnd =
      std::find_if_not(Text.begin() + At, Text.end(), isIdentifierChar) - Text.begin();
  // A method called on the lock: `impl->mutex_.Lock()`, `cv_.wait(lk)`.
  if (NameEnd > At && Text.drop_front(NameEnd).ltrim().starts_with("(")) {
    StringRef Before = Text.take_front(At).rtrim();
    if (Before.consume_back(".") || Before.consume_back("->")) {
      size_t Start = Before.size();
      while (Start > 0) {
        char C = Before[Start - 1];
        if (isIdentifierChar(C) || C == '.' || C == ' ')
          --Start;
        else if ((C == '>' && Start >= 2 && Before[Start - 2] == '-') ||
                 (C == ')' && Start >= 2 && Before[Start - 2] == '('))
          Start -= 2;
        else
          break;
      }
      return memberChain(Before.drop_front(Start));
    }
  }
  // A lock call or a guard's declaration: its first argument.
  const size_t Open = Text.find_first_of("({", At);
  if (Open == StringRef::npos)
    return std::nullopt;
  SmallVector<StringRef, 4> Args;
  unsigned Depth = 0;
  size_t ArgStart = Open + 1;
  for (size_t I = Open + 1; I < Text.size(); ++I) {
    const char C = Text[I];
    if (C == '(' || C == '[' || C == '{') {
      ++Depth;
    } else if (C == ')' || C == ']' || C == '}') {
      if (Depth-- == 0) {
        Args.push_back(Text.slice(ArgStart, I));
        break;
      }
    } else if (C == ',' && Depth == 0) {
      Args.push_back(Text.slice(ArgStart, I));
      ArgStart = I + 1;
    }
  }
  if (Args.empty() || Depth != unsigned(-1))
    return std::nullopt;
  // Several locks at once (std::scoped_lock, std::lock) are not one lock; a
  // tag or a timeout after the lock is no other lock.
  StringRef Callee = Text.take_front(Open).rtrim();
  while (!Callee.empty() && isIdentifierChar(Callee.back()))
    Callee = Callee.drop_back();
  Callee = Text.take_front(Open).rtrim().drop_front(Callee.size());
  if (Args.size() > 1 && (Text.take_front(Open).contains("scoped_lock") ||
                          Callee == "lock" || Callee == "try_lock"))
    return std::nullopt;
  return memberChain(Args.front());
}

namespace {
/// `"module" 0xoffset LINE COLUMN FILE`: memberAtSite's name, or `??`.
std::string lockQueryAnswer(StringRef Query, GlobalMembers *Members) {
  StringRef Module, Rest;
  uint64_t Offset = 0;
  unsigned Line = 0, Column = 0;
  if (!Members || !Query.consume_front("\""))
    return "??";
  std::tie(Module, Rest) = Query.split("\" ");
  SmallVector<StringRef, 4> Fields;
  Rest.split(Fields, ' ', /*MaxSplit=*/3);
  if (Module.empty() || Fields.size() != 4 || Fields[0].getAsInteger(0, Offset) ||
      Fields[1].getAsInteger(10, Line) || Fields[2].getAsInteger(10, Column))
    return "??";
  return Members->memberAtSite(Module.str(), Offset, Fields[3].str(), Line, Column)
      .value_or("??");
}
} // namespace

std::string answerSymbolizerQueries(StringRef Queries, LLVMSymbolizer &Symbolizer,
                                    GlobalMembers *Members) {
  std::string Answer;
  raw_string_ostream OS(Answer);
  SmallVector<StringRef> Lines;
  Queries.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  for (StringRef Line : Lines) {
    Line = Line.trim();
    if (Line.consume_front("LOCK ")) {
      OS << lockQueryAnswer(Line, Members) << "\n";
      continue;
    }
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
      // A C function's static, `mutex_alloc.staticMutexes`, is named as a
      // C++ one is, `mutex_alloc::staticMutexes`.
      if (Members && Global->Name != DILineInfo::BadString)
        if (std::optional<std::string> Local =
                Members->functionStaticName(Module.str(), Global->Name, Global->DeclLine))
          Global->Name = *Local;
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
