//===- BodyFacts.cpp - What a function body does besides locking ----------===//
//
// Types, condition-variable calls and the loops around a wait, thread
// starts and joins, and the one pre-order walk of a body (lambda bodies
// excluded: they are functions of their own) that finds
//  - access expressions: a MemberExpr naming a data member, a DeclRefExpr or
//    MemberExpr naming a global or static variable, of a type that can race
//    (not const, not atomic, not a synchronization object, not thread_local);
//    the outer MemberExpr of `a.b.c` is the access, not `a.b`;
//  - whether each is written: the left side of an assignment or compound
//    assignment, the operand of ++/--, an address taken, the object of a
//    non-const member call, an argument bound to a non-const reference (or an
//    array passed to a non-const pointer), a non-const reference bound to it;
//  - threads started and joins.
//
//===----------------------------------------------------------------------===//
#include "BodyFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;
using namespace llvm;

namespace lockgraph::analyzer {

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  while (T->isPointerType() || T->isArrayType())
    T = T->isPointerType() ? T->getPointeeType() : QualType(T->getArrayElementTypeNoTypeQual(), 0);
  return T->getAsCXXRecordDecl();
}

bool isStdRecord(const CXXRecordDecl *RD, std::initializer_list<StringRef> Names) {
  if (!RD || !RD->getIdentifier() || !RD->isInStdNamespace())
    return false;
  return llvm::is_contained(Names, RD->getName());
}

LockKind lockKindOf(QualType T) {
  T = T.getNonReferenceType();
  while (T->isPointerType())
    T = T->getPointeeType();
  if (const auto *TT = T->getAs<TypedefType>()) {
    StringRef N = TT->getDecl()->getName();
    if (N == "pthread_mutex_t")
      return LockKind::Mutex;
    if (N == "pthread_rwlock_t")
      return LockKind::RwLock;
    if (N == "pthread_spinlock_t")
      return LockKind::SpinLock;
    if (N == "mtx_t")
      return LockKind::C11Mutex;
  }
  T = T.getCanonicalType().getUnqualifiedType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl()) {
    if (isStdRecord(RD, {"mutex", "timed_mutex"}))
      return LockKind::Mutex;
    if (isStdRecord(RD, {"recursive_mutex", "recursive_timed_mutex"}))
      return LockKind::RecursiveMutex;
    if (isStdRecord(RD, {"shared_mutex", "shared_timed_mutex"}))
      return LockKind::RwLock;
  }
  return LockKind::Unknown;
}

bool isLockWrapperStruct(const RecordDecl *RD) {
  if (!RD || RD->isUnion())
    return false;
  RD = RD->getDefinition();
  if (!RD)
    return false;
  if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD); CRD && !CRD->isCLike())
    return false;
  auto Fields = RD->fields();
  return std::distance(Fields.begin(), Fields.end()) == 1 &&
         lockKindOf(Fields.begin()->getType()) != LockKind::Unknown &&
         !Fields.begin()->getType()->isPointerType();
}

bool isNullLock(const CXXRecordDecl *RD) {
  if (!RD || !(RD = RD->getDefinition()))
    return false;
  bool HasLock = false;
  for (const CXXMethodDecl *MD : RD->methods()) {
    if (!MD->getIdentifier() || (MD->getName() != "lock" && MD->getName() != "unlock"))
      continue;
    const FunctionDecl *Def = nullptr;
    if (!MD->hasBody(Def))
      return false;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
    if (!Body || !Body->body_empty())
      return false;
    HasLock |= MD->getName() == "lock";
  }
  return HasLock;
}

namespace {

bool isCFunction(const FunctionDecl *FD) {
  return !isa<CXXMethodDecl>(FD) &&
         FD->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

/// The variable \p E names, through `&`.
const VarDecl *varOf(const Expr *E) { return dyn_cast_or_null<VarDecl>(declNamedBy(E)); }

/// The variable or field whose elements or self \p E (a thread handle, or
/// its address) names: `t`, `tids` in `&tids[i]`, `consumers` in
/// `&q->consumers[i]`.
const ValueDecl *familyOf(const Expr *E) {
  while (E) {
    E = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr();
    else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      E = AS->getBase();
    else if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl();
    else if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    else
      return nullptr;
  }
  return nullptr;
}

} // namespace

const ValueDecl *declNamedBy(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE ? DRE->getDecl() : nullptr;
}

bool isCallbackType(QualType T) {
  if (T->isFunctionPointerType())
    return true;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && isStdRecord(RD, {"function", "move_only_function"});
}

const Expr *callbackArgument(const Expr *A) {
  for (A = A->IgnoreImplicit();;) {
    if (const auto *CE = dyn_cast<CXXConstructExpr>(A); CE && CE->getNumArgs() == 1)
      A = CE->getArg(0)->IgnoreImplicit();
    else if (const auto *Call = dyn_cast<CallExpr>(A);
             Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
             Call->getDirectCallee()->isInStdNamespace() &&
             Call->getDirectCallee()->getIdentifier() &&
             (Call->getDirectCallee()->getName() == "move" ||
              Call->getDirectCallee()->getName() == "forward"))
      A = Call->getArg(0)->IgnoreImplicit();
    else if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(A))
      A = MT->getSubExpr()->IgnoreImplicit();
    else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(A))
      A = BT->getSubExpr()->IgnoreImplicit();
    else
      return A;
  }
}

//===----------------------------------------------------------------------===//
// Condition variables
//===----------------------------------------------------------------------===//

CondCall classifyCondCall(const CallExpr *CE, const Expr *Object) {
  CondCall C;
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return C;
  StringRef Name = Callee->getName();
  unsigned N = CE->getNumArgs();
  auto Arg = [&](unsigned I) -> const Expr * { return I < N ? CE->getArg(I) : nullptr; };
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee)) {
    const CXXRecordDecl *RD = MD->getParent();
    if (!isStdRecord(RD, {"condition_variable", "condition_variable_any"}))
      return C;
    C.What = "std::" + RD->getName().str() + "::" + Name.str();
    C.CondVar = Object;
    if (Name == "wait" || Name == "wait_for" || Name == "wait_until") {
      C.Op = CondOp::Wait;
      C.Mutex = Arg(0);
      C.Timed = Name != "wait";
      // wait(lock, pred), wait_for(lock, d, pred), and the stop_token
      // overloads of condition_variable_any, which all take a predicate.
      C.HasPredicate = N >= (Name == "wait" ? 2u : 3u);
    } else if (Name == "notify_one" || Name == "notify_all") {
      C.Op = CondOp::Notify;
    }
    return C;
  }
  if (!isCFunction(Callee))
    return C;
  static const struct {
    StringRef Name;
    CondOp Op;
    bool Timed;
  } Table[] = {
      {"pthread_cond_wait", CondOp::Wait, false},
      {"pthread_cond_timedwait", CondOp::Wait, true},
      {"pthread_cond_clockwait", CondOp::Wait, true},
      {"cnd_wait", CondOp::Wait, false},
      {"cnd_timedwait", CondOp::Wait, true},
      {"pthread_cond_signal", CondOp::Notify, false},
      {"pthread_cond_broadcast", CondOp::Notify, false},
      {"cnd_signal", CondOp::Notify, false},
      {"cnd_broadcast", CondOp::Notify, false},
  };
  for (const auto &Row : Table) {
    if (Name != Row.Name)
      continue;
    C.Op = Row.Op;
    C.What = Name.str();
    C.CondVar = Arg(0);
    C.Timed = Row.Timed;
    if (Row.Op == CondOp::Wait)
      C.Mutex = Arg(1);
    return C;
  }
  return C;
}

/// Whether a loop condition is missing (`for (;;)`) or always true
/// (`while (true)`, `do ... while (1)`): such a loop re-checks nothing.
static bool checksNothing(const Expr *Cond, ASTContext &Ctx) {
  if (!Cond)
    return true;
  bool Value = false;
  return !Cond->isValueDependent() && Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}

/// What runs after a statement in its block: nothing, a `continue`, or more.
enum class BlockRest { Nothing, Continue, More };
/// Whether \p S only releases a lock (`pthread_mutex_unlock(m)`,
/// `L.unlock()`, a wrapper named so): nothing that acts on the condition
/// the wait was for.
static bool onlyUnlocks(const Stmt *S) {
  const auto *E = dyn_cast<Expr>(S);
  const auto *CE = E ? dyn_cast<CallExpr>(E->IgnoreImplicit()) : nullptr;
  const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
  return Callee && Callee->getDeclName().isIdentifier() &&
         Callee->getName().contains_insensitive("unlock");
}

/// What runs after \p Child in \p Block (lock releases aside, as in
/// pbzip2's `wait(); unlock(); continue;`).
static BlockRest restOfBlock(const CompoundStmt *Block, const Stmt *Child) {
  auto It = llvm::find(Block->body(), Child);
  if (It == Block->body_end())
    return BlockRest::More;
  ++It;
  while (It != Block->body_end() && onlyUnlocks(*It))
    ++It;
  if (It == Block->body_end())
    return BlockRest::Nothing;
  return isa<ContinueStmt>(*It) ? BlockRest::Continue : BlockRest::More;
}

/// Whether the statement after \p Child in \p Block is a `goto` to a label
/// before \p Wait.
static bool gotoBackFrom(const CompoundStmt *Block, const Stmt *Child, const Stmt *Wait,
                         ASTContext &Ctx) {
  auto It = llvm::find(Block->body(), Child);
  if (It == Block->body_end())
    return false;
  ++It;
  while (It != Block->body_end() && onlyUnlocks(*It))
    ++It;
  if (It == Block->body_end())
    return false;
  const auto *Goto = dyn_cast<GotoStmt>(*It);
  const LabelStmt *Target = Goto ? Goto->getLabel()->getStmt() : nullptr;
  return Target && Ctx.getSourceManager().isBeforeInTranslationUnit(
                       Target->getBeginLoc(), Wait->getBeginLoc());
}

/// Whether \p Cond reads nothing but the function's parameters (`if (tv)`
/// in a wait wrapper choosing a timed or an untimed wait): no check of what
/// the wait is for, which is shared state.
static bool readsOnlyParameters(const Expr *Cond) {
  bool Parameter = false, Other = false;
  std::function<void(const Stmt *)> Visit = [&](const Stmt *S) {
    if (!S || Other)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (isa<ParmVarDecl>(DRE->getDecl()))
        Parameter = true;
      else if (!isa<EnumConstantDecl>(DRE->getDecl()))
        Other = true;
      return;
    }
    if (isa<MemberExpr>(S) || isa<CallExpr>(S) || isa<CXXThisExpr>(S)) {
      Other = true;
      return;
    }
    for (const Stmt *Child : S->children())
      Visit(Child);
  };
  Visit(Cond);
  return Parameter && !Other;
}

/// \p E without parentheses, casts and negations: what a condition tests.
static const Expr *testedExpr(const Expr *E, ASTContext &Ctx) {
  auto IsZero = [&](const Expr *X) {
    return X->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) !=
           Expr::NPCK_NotNull;
  };
  for (;;) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_LNot)
      E = U->getSubExpr();
    // `queue == NULL` before the wait, `queue != NULL` after it.
    else if (const auto *B = dyn_cast<BinaryOperator>(E);
             B && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE) && IsZero(B->getRHS()))
      E = B->getLHS();
    else if (B && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE) && IsZero(B->getLHS()))
      E = B->getRHS();
    else
      return E;
  }
}

/// Whether \p S may leave the loop it is in (or the function).
static bool leavesLoop(const Stmt *S) {
  if (!S)
    return false;
  if (isa<BreakStmt, ReturnStmt, GotoStmt>(S))
    return true;
  return llvm::any_of(S->children(), [](const Stmt *C) { return leavesLoop(C); });
}

/// Whether a condition the function tests before \p Wait (an `if` earlier
/// in an enclosing block, or the one the wait is under) is evaluated again
/// after it: the function checks, waits once, and re-checks, returning
/// failure to a caller that retries (libzmq's mailbox_safe_t::recv reads
/// its pipe, waits, reads it again and returns EAGAIN). \p InLoop: in an
/// endless loop, by an `if` that goes on to the next iteration.
static bool recheckedAfter(const ParentMap &PM, const Stmt *Wait, ASTContext &Ctx,
                           bool InLoop = false) {
  llvm::DenseSet<unsigned> Tested;
  auto AddTest = [&](const Expr *Cond) {
    if (!Cond || readsOnlyParameters(Cond))
      return;
    const Expr *T = testedExpr(Cond, Ctx);
    if (T->isIntegerConstantExpr(Ctx))
      return;
    llvm::FoldingSetNodeID ID;
    T->Profile(ID, Ctx, /*Canonical=*/true);
    Tested.insert(ID.ComputeHash());
  };
  std::vector<std::pair<const CompoundStmt *, const Stmt *>> Blocks;
  const Stmt *Child = Wait;
  for (const Stmt *P = PM.getParent(Wait); P; Child = P, P = PM.getParent(P)) {
    if (const auto *If = dyn_cast<IfStmt>(P); If && Child != If->getCond())
      AddTest(If->getCond());
    if (const auto *Block = dyn_cast<CompoundStmt>(P)) {
      Blocks.push_back({Block, Child});
      for (const Stmt *S : Block->body()) {
        if (S == Child)
          break;
        if (const auto *If = dyn_cast<IfStmt>(S))
          AddTest(If->getCond());
      }
    }
    if (isa<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt, LambdaExpr>(P))
      break;
  }
  if (Tested.empty())
    return false;
  struct Finder : RecursiveASTVisitor<Finder> {
    ASTContext &Ctx;
    const llvm::DenseSet<unsigned> &Tested;
    bool InLoop;
    bool Found = false;
    Finder(ASTContext &Ctx, const llvm::DenseSet<unsigned> &Tested, bool InLoop)
        : Ctx(Ctx), Tested(Tested), InLoop(InLoop) {}
    // Tested again: in a condition, or kept in a variable (`const bool ok =
    // read(); if (!ok)`), or returned -- not merely written or used.
    bool check(const Expr *E) {
      if (E) {
        llvm::FoldingSetNodeID ID;
        testedExpr(E, Ctx)->Profile(ID, Ctx, /*Canonical=*/true);
        Found |= Tested.count(ID.ComputeHash()) != 0;
      }
      return !Found;
    }
    // In an endless loop, only a test that does not leave the loop: one
    // that does (`if (jobs.empty()) break;`) ends the worker on a spurious
    // wake-up instead of waiting again.
    bool VisitIfStmt(IfStmt *If) {
      return InLoop && (leavesLoop(If->getThen()) || leavesLoop(If->getElse()))
                 ? true
                 : check(If->getCond());
    }
    bool VisitVarDecl(VarDecl *V) { return InLoop || check(V->getInit()); }
    bool VisitReturnStmt(ReturnStmt *R) { return InLoop || check(R->getRetValue()); }
  } F(Ctx, Tested, InLoop);
  for (const auto &[Block, In] : Blocks) {
    bool After = false;
    for (const Stmt *S : Block->body()) {
      if (After)
        F.TraverseStmt(const_cast<Stmt *>(S));
      After |= S == In;
      if (F.Found)
        return true;
    }
  }
  return false;
}

LoopVerdict waitLoop(const ParentMap &PM, const Stmt *Wait, ASTContext &Ctx) {
  LoopVerdict V;
  const IfStmt *Guard = nullptr;
  // Whether the next iteration of the loop follows the wait directly: then
  // an endless loop's `if` chain runs again after the wait returns (leveldb's
  // `while (true) { if (...) ... else if (imm_) cv.Wait(); }`).
  bool NextIterationFollows = true, Continues = false;
  const Stmt *Child = Wait;
  for (const Stmt *P = PM.getParent(Wait); P; Child = P, P = PM.getParent(P)) {
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (!Guard && (Child == If->getThen() || Child == If->getElse()) &&
          !readsOnlyParameters(If->getCond()))
        Guard = If;
      continue;
    }
    if (const auto *Block = dyn_cast<CompoundStmt>(P)) {
      // `if (...) { wait(); goto again; }` with `again:` before the check:
      // a loop written with goto (xz's worker_decoder), which re-checks.
      if (!Continues && gotoBackFrom(Block, Child, Wait, Ctx)) {
        V.ReChecked = true;
        return V;
      }
      if (!Continues) {
        BlockRest Rest = restOfBlock(Block, Child);
        NextIterationFollows &= Rest != BlockRest::More;
        Continues = Rest == BlockRest::Continue;
      }
      continue;
    }
    const Expr *Cond = nullptr;
    bool Loop = true;
    if (const auto *W = dyn_cast<WhileStmt>(P))
      Cond = W->getCond();
    else if (const auto *D = dyn_cast<DoStmt>(P))
      Cond = D->getCond();
    else if (const auto *F = dyn_cast<ForStmt>(P))
      Loop = Child != F->getInit(), Cond = F->getCond();
    else if (const auto *R = dyn_cast<CXXForRangeStmt>(P))
      Loop = Child == R->getBody(), Cond = R->getCond();
    else
      Loop = false;
    if (!Loop) {
      // A switch, a label, a try: control after the wait is not followed.
      if (!Continues && !isa<Expr>(P) && !isa<DeclStmt>(P) && !isa<ReturnStmt>(P))
        NextIterationFollows = false;
      continue;
    }
    // The innermost loop decides what runs after the wait returns, unless
    // the body tests the condition again after it (memcached's
    // extstore_io_thread: `while (1) { if (!queue) wait(); if (queue)
    // take(); ... }`).
    if (!checksNothing(Cond, Ctx) || !Guard || NextIterationFollows ||
        recheckedAfter(PM, Wait, Ctx, /*InLoop=*/true))
      V.ReChecked = true;
    else
      V.CheckedOnce = Guard;
    return V;
  }
  V.CheckedOnce = Guard;
  if (recheckedAfter(PM, Wait, Ctx)) {
    V.ReChecked = true;
    V.CheckedOnce = nullptr;
  }
  return V;
}

//===----------------------------------------------------------------------===//
// Threads
//===----------------------------------------------------------------------===//

namespace {

const FunctionDecl *callOperatorOf(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return nullptr;
  if (RD->isLambda())
    return RD->getLambdaCallOperator();
  for (const CXXMethodDecl *MD : RD->getDefinition()->methods())
    if (MD->getOverloadedOperator() == OO_Call)
      return MD;
  return nullptr;
}

/// ThreadStart::Entry of the callable \p E passed to a thread start.
const FunctionDecl *threadEntryOf(const Expr *E, unsigned Depth = 0) {
  if (!E || Depth > 4)
    return nullptr;
  // Explicit casts too: pthread_create(&h, 0, (void *(*)(void *))worker, 0).
  E = E->IgnoreImplicit()->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    return threadEntryOf(UO->getSubExpr(), Depth + 1);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return FD;
    return callOperatorOf(DRE->getType()); // a variable holding a lambda or functor
  }
  if (const auto *LE = dyn_cast<LambdaExpr>(E))
    return LE->getCallOperator();
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(E)) {
    if (CCE->getNumArgs() == 1 && CCE->getConstructor()->isCopyOrMoveConstructor())
      return threadEntryOf(CCE->getArg(0), Depth + 1);
    return callOperatorOf(CCE->getType());
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *F = CE->getDirectCallee();
    if (F && F->isInStdNamespace() && F->getIdentifier() &&
        (F->getName() == "bind" || F->getName() == "bind_front") && CE->getNumArgs() > 0)
      return threadEntryOf(CE->getArg(0), Depth + 1);
    return nullptr;
  }
  if (E->getType()->isRecordType())
    return callOperatorOf(E->getType());
  return nullptr;
}

/// Peels the wrappers of a constructor or call used as an initializer
/// (to find the start that initializes a thread or future variable).
const Expr *peel(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = FC->getSubExpr();
    else if (const auto *CCE = dyn_cast<CXXConstructExpr>(Next);
             CCE && CCE->getNumArgs() == 1 &&
             CCE->getConstructor()->isCopyOrMoveConstructor())
      Next = CCE->getArg(0);
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

/// Recognises \p E as a thread start; sets Entry, and Handle for
/// pthread_create / thrd_create. At is \p E's start.
std::optional<ThreadStart> threadStartOf(const Expr *E) {
  const Expr *Callable = nullptr, *Handle = nullptr, *Arg = nullptr;
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(E)) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    if (!isStdRecord(Ctor->getParent(), {"thread", "jthread"}) || CCE->getNumArgs() == 0 ||
        Ctor->isCopyOrMoveConstructor())
      return std::nullopt;
    Callable = CCE->getArg(0);
    if (CCE->getNumArgs() >= 2)
      Arg = CCE->getArg(1);
  } else if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !FD->getIdentifier())
      return std::nullopt;
    StringRef Name = FD->getName();
    unsigned N = CE->getNumArgs();
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
      // threads.emplace_back(F, ...) on a std container of threads.
      const auto *TS = MCE->getMethodDecl()
                           ? dyn_cast<ClassTemplateSpecializationDecl>(
                                 MCE->getMethodDecl()->getParent())
                           : nullptr;
      if ((Name == "emplace_back" || Name == "emplace" || Name == "emplace_front") && N > 0 &&
          TS && TS->isInStdNamespace() && TS->getTemplateArgs().size() > 0 &&
          TS->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
          isStdRecord(TS->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl(),
                      {"thread", "jthread"})) {
        Callable = CE->getArg(0);
        Arg = N >= 2 ? CE->getArg(1) : nullptr;
      }
    } else if (isCFunction(FD) && Name == "pthread_create" && N >= 3) {
      Callable = CE->getArg(2);
      Handle = CE->getArg(0);
      Arg = N >= 4 ? CE->getArg(3) : nullptr;
    } else if (isCFunction(FD) && Name == "thrd_create" && N >= 2) {
      Callable = CE->getArg(1);
      Handle = CE->getArg(0);
      Arg = N >= 3 ? CE->getArg(2) : nullptr;
    } else if (FD->isInStdNamespace() && Name == "async") {
      // The first argument that is not the launch policy.
      for (const Expr *A : CE->arguments())
        if (!A->IgnoreParenImpCasts()->getType()->isEnumeralType()) {
          Callable = A;
          break;
        }
    }
  }
  if (!Callable)
    return std::nullopt;
  ThreadStart T;
  T.Entry = threadEntryOf(Callable);
  T.Handle = varOf(Handle);
  T.Family = familyOf(Handle);
  T.At = E->getBeginLoc();
  // A std::thread's argument after a member function is the object.
  if (!Callable->IgnoreParenImpCasts()->getType()->isMemberPointerType())
    T.Arg = Arg;
  return T;
}

/// Whether \p S names \p V.
bool mentions(const Stmt *S, const VarDecl *V) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == V)
    return true;
  return llvm::any_of(S->children(), [&](const Stmt *C) { return mentions(C, V); });
}

/// Whether \p Loop (a for loop) declares \p V in its init or names it in
/// its increment.
bool isLoopVariable(const Stmt *Loop, const VarDecl *V) {
  const auto *For = dyn_cast_or_null<ForStmt>(Loop);
  if (!For || !V)
    return false;
  if (const auto *Init = dyn_cast_or_null<DeclStmt>(For->getInit()))
    if (llvm::is_contained(Init->decls(), V))
      return true;
  return mentions(For->getInc(), V);
}

/// Whether the thread argument \p Arg, passed in \p Loop, is an object of
/// the thread's own (ThreadStart::PrivateArg).
bool isPrivateThreadArg(const Expr *Arg, const Stmt *Loop, const SourceManager &SM) {
  if (!Arg || !Loop)
    return false;
  Arg = Arg->IgnoreParenCasts();
  auto IndexedByLoop = [&](const Expr *Index) {
    const auto *DRE = dyn_cast<DeclRefExpr>(Index->IgnoreParenImpCasts());
    return DRE && isLoopVariable(Loop, dyn_cast<VarDecl>(DRE->getDecl()));
  };
  // &infos[i]
  if (const auto *UO = dyn_cast<UnaryOperator>(Arg); UO && UO->getOpcode() == UO_AddrOf)
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(UO->getSubExpr()->IgnoreParens()))
      return IndexedByLoop(ASE->getIdx());
  // infos + i
  if (const auto *BO = dyn_cast<BinaryOperator>(Arg); BO && BO->getOpcode() == BO_Add)
    return (BO->getLHS()->getType()->isPointerType() && IndexedByLoop(BO->getRHS())) ||
           (BO->getRHS()->getType()->isPointerType() && IndexedByLoop(BO->getLHS()));
  // A pointer declared in the loop's body and initialized by an allocation.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    if (!V || !V->hasLocalStorage() || !V->getInit() ||
        !SM.isBeforeInTranslationUnit(Loop->getBeginLoc(), V->getLocation()) ||
        !SM.isBeforeInTranslationUnit(V->getLocation(), Loop->getEndLoc()))
      return false;
    const Expr *Init = V->getInit()->IgnoreParenCasts();
    if (isa<CXXNewExpr>(Init))
      return true;
    if (const auto *CE = dyn_cast<CallExpr>(Init))
      if (const FunctionDecl *FD = CE->getDirectCallee(); FD && FD->getIdentifier())
        return isCFunction(FD) &&
               (FD->getName() == "malloc" || FD->getName() == "calloc");
  }
  return false;
}

} // namespace

std::optional<ThreadJoin> threadJoinOf(const CallExpr *CE, const Expr *Object) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return std::nullopt;
  StringRef Name = Callee->getName();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee)) {
    // The method's class or the object's (before its conversion to the
    // method's class): future::wait is declared in a base class of
    // std::future, join of a class derived from std::thread in std::thread.
    auto Is = [&](std::initializer_list<StringRef> Names) {
      return isStdRecord(MD->getParent(), Names) ||
             (Object && isStdRecord(recordOf(Object->IgnoreParenImpCasts()->getType()), Names));
    };
    if (Name == "join" && Is({"thread", "jthread"}))
      return ThreadJoin{varOf(Object), familyOf(Object), false};
    if ((Name == "get" || Name == "wait" || Name == "wait_for" || Name == "wait_until") &&
        Is({"future", "shared_future"}))
      return ThreadJoin{varOf(Object), familyOf(Object), Name.starts_with("wait_")};
    return std::nullopt;
  }
  if (isCFunction(Callee) && (Name == "pthread_join" || Name == "thrd_join") &&
      CE->getNumArgs() >= 1)
    return ThreadJoin{varOf(CE->getArg(0)), familyOf(CE->getArg(0)), false};
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Accesses
//===----------------------------------------------------------------------===//

namespace {

QualType elementType(const ASTContext &Ctx, QualType T) {
  T = T.getNonReferenceType();
  while (const ArrayType *AT = Ctx.getAsArrayType(T))
    T = AT->getElementType();
  return T;
}

/// A lock type: std mutexes, pthread/C11 locks, a capability-annotated class.
bool isLockType(const ASTContext &Ctx, QualType T) {
  T = elementType(Ctx, T);
  if (lockKindOf(T) != LockKind::Unknown)
    return true;
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->hasAttr<CapabilityAttr>();
}

bool isLockWrapper(const ASTContext &Ctx, const CXXRecordDecl *RD);

/// Variables of these types synchronize by themselves (or are the
/// synchronization, a lock wrapper such as gtest's Mutex included):
/// accessing them is never a data race.
bool isSyncType(const ASTContext &Ctx, QualType T, unsigned Depth = 0) {
  T = elementType(Ctx, T);
  if (T->isAtomicType() || isLockType(Ctx, T) || isLockWrapper(Ctx, recordOf(T)))
    return true;
  StringRef TD;
  if (const auto *TT = T->getAs<TypedefType>())
    TD = TT->getDecl()->getName();
  if (TD == "pthread_cond_t" || TD == "pthread_once_t" || TD == "pthread_barrier_t" ||
      TD == "sem_t" || TD == "cnd_t" || TD == "once_flag" ||
      (TD == "sig_atomic_t" && T.isVolatileQualified()))
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (isStdRecord(RD, {"atomic", "atomic_flag", "atomic_ref", "condition_variable",
                       "condition_variable_any", "once_flag", "thread", "jthread", "latch",
                       "barrier", "counting_semaphore", "future", "shared_future", "promise",
                       "stop_source", "stop_token"}))
    return true;
  // A class or struct made only of such members (zmq::atomic_ptr_t, a
  // std::atomic wrapped with cas/xchg methods; nng's nni_plat_mtx, a C
  // struct around a pthread mutex) synchronizes by itself too, also with
  // pointers to such objects beside them (nng's nni_plat_cv: its
  // pthread_cond_t and the mutex it waits with, set once at init).
  const RecordDecl *Rec = T->getAsRecordDecl();
  if (!Rec || Depth > 3 || Rec->isUnion())
    return false;
  Rec = Rec->getDefinition();
  if (!Rec || Rec->field_empty() || (RD && RD->getNumBases() != 0))
    return false;
  bool HasSyncObject = false;
  for (const FieldDecl *F : Rec->fields()) {
    QualType FT = F->getType();
    if (isSyncType(Ctx, FT, Depth + 1)) {
      HasSyncObject = true;
      continue;
    }
    if (!FT->isPointerType() || !isSyncType(Ctx, FT->getPointeeType(), Depth + 1))
      return false;
  }
  return HasSyncObject;
}

/// A variable whose accesses can race.
bool isTracked(const ASTContext &Ctx, const ValueDecl *D) {
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (isa<ParmVarDecl>(VD) || !VD->hasGlobalStorage() || VD->isConstexpr() ||
        VD->getTLSKind() != VarDecl::TLS_None)
      return false;
    // A function-local static object is a singleton, initialized once
    // thread-safely; calling its methods is not a race on the variable.
    if (VD->isStaticLocal() && elementType(Ctx, VD->getType())->isRecordType())
      return false;
  } else if (!isa<FieldDecl>(D)) {
    return false;
  }
  QualType T = elementType(Ctx, D->getType());
  return !T.isConstQualified() && !isSyncType(Ctx, T);
}

/// A lock among the data members of \p RD or of its bases.
bool hasDirectLockMember(const ASTContext &Ctx, const CXXRecordDecl *RD, unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return false;
  RD = RD->getDefinition();
  for (const FieldDecl *F : RD->fields())
    if (isLockType(Ctx, F->getType()))
      return true;
  for (const Decl *D : RD->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D); VD && isLockType(Ctx, VD->getType()))
      return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (hasDirectLockMember(Ctx, B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}

/// A class whose objects carry their own lock (a lock or lock wrapper among
/// the data members of it or of a base; libzmq's mailbox_t and its mutex_t
/// _sync), to lock their state with.
bool locksItsOwnState(const ASTContext &Ctx, const CXXRecordDecl *RD, unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return false;
  RD = RD->getDefinition();
  for (const FieldDecl *F : RD->fields()) {
    QualType T = F->getType();
    if (isLockType(Ctx, T) || isLockWrapper(Ctx, recordOf(T)))
      return true;
  }
  for (const CXXBaseSpecifier &B : RD->bases())
    if (locksItsOwnState(Ctx, B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}

/// A class of its own that wraps a lock (gtest's Mutex): a lock member and
/// a Lock()/lock() method, in it or a base.
bool isLockWrapper(const ASTContext &Ctx, const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition() || !hasDirectLockMember(Ctx, RD))
    return false;
  std::vector<const CXXRecordDecl *> Todo{RD->getDefinition()};
  for (size_t I = 0; I < Todo.size() && I < 8; ++I) {
    for (const CXXMethodDecl *MD : Todo[I]->methods())
      if (MD->getIdentifier() && (MD->getName() == "Lock" || MD->getName() == "lock"))
        return true;
    for (const CXXBaseSpecifier &B : Todo[I]->bases())
      if (const CXXRecordDecl *BR = B.getType()->getAsCXXRecordDecl(); BR && BR->hasDefinition())
        Todo.push_back(BR->getDefinition());
  }
  return false;
}

/// The class has a lock (or a lock wrapper) among its members or its bases'.
bool hasLockMember(const ASTContext &Ctx, const CXXRecordDecl *RD) {
  if (hasDirectLockMember(Ctx, RD))
    return true;
  if (!RD || !RD->hasDefinition())
    return false;
  for (const FieldDecl *F : RD->getDefinition()->fields())
    if (isLockWrapper(Ctx, elementType(Ctx, F->getType())->getAsCXXRecordDecl()))
      return true;
  return false;
}

/// A non-const method with a const overload of the same name and arity
/// (`find`, `begin`, `operator[]` of a vector): picked only because the
/// object is not const, it reads. A write through its result is seen by
/// markWrite.
bool hasConstOverload(const CXXMethodDecl *MD) {
  if (MD->isConst())
    return true;
  for (const NamedDecl *ND : MD->getParent()->lookup(MD->getDeclName())) {
    const auto *O = dyn_cast<CXXMethodDecl>(ND);
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(ND))
      O = dyn_cast<CXXMethodDecl>(FT->getTemplatedDecl());
    if (O && O != MD && O->isConst() && O->getNumParams() == MD->getNumParams())
      return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// The walk
//===----------------------------------------------------------------------===//

class Collector : public RecursiveASTVisitor<Collector> {
  using Base = RecursiveASTVisitor<Collector>;

public:
  Collector(ASTContext &Ctx, BodyFacts &Out, bool CollectAccesses)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Out(Out), CollectAccesses(CollectAccesses) {}

  void finish() {
    for (const LambdaExpr *LE : Lambdas)
      if (!SpawnEntries.count(LE->getCallOperator()))
        Out.InlineLambdas.insert(LE);
    for (const Stmt *C : Containers)
      Out.Accesses.erase(C);
    for (const Stmt *A : NotAccesses)
      Out.Accesses.erase(A);
    for (const Stmt *W : Writes)
      if (auto It = Out.Accesses.find(W); It != Out.Accesses.end())
        It->second.Kind = AccessKind::Write;
    for (const auto &[A, Callee] : AddressTo)
      if (auto It = Out.Accesses.find(A); It != Out.Accesses.end())
        It->second.AddressTo = Callee;
    for (size_t S = 0; S < Out.Starts.size(); ++S)
      Out.Lifetimes.push_back(lifetime(StartSites[S], Out.Starts[S].Family));
  }

  // Lambda bodies are analyzed as functions of their own.
  bool TraverseLambdaExpr(LambdaExpr *LE) {
    Lambdas.push_back(LE);
    return true;
  }

#define LOOP(CLASS)                                                                \
  bool Traverse##CLASS(CLASS *S) {                                                 \
    if (Loops.empty())                                                             \
      Out.OuterLoops.push_back({loc(S->getBeginLoc()), loc(S->getEndLoc())});      \
    Loops.push_back(S);                                                            \
    bool R = Base::Traverse##CLASS(S);                                             \
    Loops.pop_back();                                                              \
    return R;                                                                      \
  }
  LOOP(ForStmt)
  LOOP(WhileStmt)
  LOOP(DoStmt)
  LOOP(CXXForRangeStmt)
#undef LOOP

  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      addAccess(DRE, VD);
    return true;
  }

  bool VisitMemberExpr(MemberExpr *ME) {
    const ValueDecl *D = ME->getMemberDecl();
    if (!isa<FieldDecl>(D) && !isa<VarDecl>(D))
      return true;
    // In `a.b.c` the access is to c: a.b only names where c lives.
    if (!ME->isArrow()) {
      const Expr *B = ME->getBase()->IgnoreParenImpCasts();
      if (isa<MemberExpr>(B) || isa<DeclRefExpr>(B))
        Containers.insert(B);
    }
    addAccess(ME, D);
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *BO) {
    // `node == &list->ll_head`: an address compared is neither loaded nor
    // stored (nng's nni_list_first, a reader, looked like a writer).
    if (BO->isComparisonOp()) {
      addressOnly(BO->getLHS());
      addressOnly(BO->getRHS());
    }
    if (BO->isAssignmentOp())
      markWrite(BO->getLHS());
    if (BO->getOpcode() == BO_Assign)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && VD->isLocalVarDecl())
          addressOnly(BO->getRHS());
    return true;
  }

  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->isIncrementDecrementOp() ||
        (UO->getOpcode() == UO_AddrOf && !ConstAddresses.count(UO)))
      markWrite(UO->getSubExpr());
    return true;
  }

  // `Iterator it(&table_)` with a `const SkipList *` parameter: what the
  // address is taken for only reads. Visited before the operand.
  bool VisitImplicitCastExpr(ImplicitCastExpr *ICE) {
    if (ICE->getCastKind() == CK_NoOp && ICE->getType()->isPointerType() &&
        ICE->getType()->getPointeeType().isConstQualified())
      if (const auto *UO = dyn_cast<UnaryOperator>(ICE->getSubExpr()->IgnoreParens());
          UO && UO->getOpcode() == UO_AddrOf)
        ConstAddresses.insert(UO);
    return true;
  }

  // Visited before its initializer.
  bool VisitVarDecl(VarDecl *VD) {
    QualType T = VD->getType();
    if (VD->isLocalVarDecl() && T->isPointerType() && VD->getInit())
      addressOnly(VD->getInit());
    if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified() && VD->getInit())
      markWrite(VD->getInit());
    // `std::thread t(F)`, `auto f = std::async(F)`: t and f name the thread.
    if (VD->isLocalVarDecl() && VD->getInit() && !T->isReferenceType() &&
        isStdRecord(T->getAsCXXRecordDecl(), {"thread", "jthread", "future", "shared_future"}))
      Handles[peel(VD->getInit())] = VD;
    return true;
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MCE) {
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    // An object whose class keeps a lock among its members (libzmq's
    // mailbox_t) locks its own state: calling its methods is no access of
    // the variable that holds it; what the methods do, under that lock or
    // not, is.
    if (MD && !MD->isStatic() && locksItsOwnState(Ctx, MCE->getRecordDecl())) {
      if (const Expr *Obj = MCE->getImplicitObjectArgument()) {
        Obj = Obj->IgnoreParenImpCasts();
        if (isa<MemberExpr>(Obj) || isa<DeclRefExpr>(Obj))
          NotAccesses.insert(Obj);
      }
      return true;
    }
    if (MD && !MD->isStatic() && !hasConstOverload(MD))
      markWrite(MCE->getImplicitObjectArgument());
    return true;
  }

  // `errno == EAGAIN`, `case EWOULDBLOCK:`, `errno != EINPROGRESS` (a
  // connect that has started): the function's I/O is on non-blocking
  // descriptors.
  bool VisitIntegerLiteral(IntegerLiteral *IL) {
    SourceLocation L = IL->getLocation();
    if (!Out.NonBlockingIo && L.isMacroID()) {
      StringRef Macro = Lexer::getImmediateMacroName(L, SM, Ctx.getLangOpts());
      Out.NonBlockingIo = Macro == "EAGAIN" || Macro == "EWOULDBLOCK" || Macro == "EINPROGRESS";
    }
    return true;
  }

  // `__atomic_load_n(&n, ...)`, `__c11_atomic_*`: an atomic access of n,
  // which races with nothing.
  bool VisitAtomicExpr(AtomicExpr *AE) {
    atomicOperand(AE->getPtr());
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD)
      return true;
    // `__sync_add_and_fetch(&n, 1)`: the same.
    if (FD->getBuiltinID() && FD->getIdentifier() && CE->getNumArgs() > 0 &&
        FD->getName().starts_with("__sync_"))
      atomicOperand(CE->getArg(0));
    unsigned Shift = isa<CXXOperatorCallExpr>(CE) && isa<CXXMethodDecl>(FD) ? 1 : 0;
    if (Shift && !hasConstOverload(cast<CXXMethodDecl>(FD)) && CE->getNumArgs() > 0)
      markWrite(CE->getArg(0));
    // `nni_stat_snapshot(statp, &stats_root)`: a function of this TU gets
    // the address; what it does through it is its own accesses, analyzed
    // in its body and named after the argument at this call (it locks
    // stats_lock first), not a write of the whole variable here.
    const FunctionDecl *Def = FD->getDefinition();
    const bool BodyHere = Def && Def->doesThisDeclarationHaveABody() &&
                          !SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation()));
    for (unsigned I = Shift; I < CE->getNumArgs() && I - Shift < FD->getNumParams(); ++I) {
      QualType P = FD->getParamDecl(I - Shift)->getType();
      if (BodyHere && P->isPointerType())
        addressOnly(CE->getArg(I));
      else if (P->isPointerType())
        if (const auto *UO = dyn_cast<UnaryOperator>(CE->getArg(I)->IgnoreParenCasts());
            UO && UO->getOpcode() == UO_AddrOf)
          AddressTo[UO->getSubExpr()->IgnoreParenCasts()] = FD;
      argument(P, CE->getArg(I));
    }
    const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE);
    if (std::optional<ThreadJoin> J =
            threadJoinOf(CE, MCE ? MCE->getImplicitObjectArgument() : nullptr)) {
      // A timed wait may return with the thread still running.
      if (!J->Timed)
        Joins.push_back({J->Family, loc(CE->getEndLoc()), Loops});
    } else {
      start(CE);
    }
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *CCE) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    for (unsigned I = 0; I < CCE->getNumArgs() && I < Ctor->getNumParams(); ++I)
      argument(Ctor->getParamDecl(I)->getType(), CCE->getArg(I));
    start(CCE);
    return true;
  }

private:
  ASTContext &Ctx;
  SourceManager &SM;
  BodyFacts &Out;
  bool CollectAccesses;
  llvm::DenseSet<const Stmt *> Containers, Writes, NotAccesses;
  /// `&x` handed to a function without a body here (AccessFact::AddressTo).
  llvm::DenseMap<const Stmt *, const FunctionDecl *> AddressTo;
  /// `&x` converted to a pointer to const at once.
  llvm::DenseSet<const UnaryOperator *> ConstAddresses;

  /// `p = &slabclass[id]`, `T *p = &g.member`: the address of a variable
  /// kept in a local pointer is computed, not loaded or stored (what goes
  /// through the pointer later is not followed). A pointer read on the way
  /// (`&g_ptr->x`) stays an access.
  void addressOnly(const Expr *E) {
    E = E->IgnoreParenCasts();
    const auto *UO = dyn_cast<UnaryOperator>(E);
    if (!UO || UO->getOpcode() != UO_AddrOf)
      return;
    E = UO->getSubExpr()->IgnoreParenCasts();
    while (E) {
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
        const Expr *Base = ASE->getBase()->IgnoreParenImpCasts();
        if (!Base->getType()->isArrayType())
          return; // indexes through a pointer it loads
        E = Base;
      } else if (const auto *ME = dyn_cast<MemberExpr>(E)) {
        NotAccesses.insert(ME);
        if (ME->isArrow())
          return;
        E = ME->getBase()->IgnoreParenCasts();
      } else {
        if (isa<DeclRefExpr>(E))
          NotAccesses.insert(E);
        return;
      }
    }
  }

  /// The variable \p E points to, operand of an atomic builtin.
  void atomicOperand(const Expr *E) {
    E = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenCasts();
    while (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
      E = ASE->getBase()->IgnoreParenCasts();
    if (isa<DeclRefExpr, MemberExpr>(E))
      NotAccesses.insert(E);
  }
  std::vector<const Stmt *> Loops;
  /// Where a thread of Out.Starts starts, inside Loops (outermost first).
  struct StartSite {
    SourceLocation At;
    std::vector<const Stmt *> Loops;
  };
  std::vector<StartSite> StartSites;
  /// An untimed join of a thread of Family (null: unknown), inside Loops.
  struct JoinSite {
    const ValueDecl *Family;
    SourceLocation At;
    std::vector<const Stmt *> Loops;
  };
  std::vector<JoinSite> Joins;

  /// Where the end of \p J counts in a body or loop body that holds
  /// \p Depth of J's loops: the end of the next loop in, or of J.
  SourceLocation endIn(const JoinSite &J, size_t Depth) const {
    return Depth < J.Loops.size() ? loc(J.Loops[Depth]->getEndLoc()) : J.At;
  }

  /// Where the thread started at \p Site may run. With a known handle
  /// family that some join names, a loop whose body joins the thread after
  /// its start ends its lifetime within the iteration; each loop in between
  /// (the loop that starts a pool) widens it to the whole loop. Otherwise
  /// (and for a thread nothing joins by name) from the outermost loop
  /// around the start to the last join after it.
  BodyFacts::Lifetime lifetime(const StartSite &Site, const ValueDecl *Family) const {
    bool Named = Family && llvm::any_of(Joins, [&](const JoinSite &J) {
                   return J.Family == Family;
                 });
    BodyFacts::Lifetime Life{Site.At, {}};
    if (Named) {
      for (size_t Depth = Site.Loops.size(); Depth-- > 0;) {
        const Stmt *Loop = Site.Loops[Depth];
        for (const JoinSite &J : Joins)
          if (J.Family == Family && J.Loops.size() > Depth && J.Loops[Depth] == Loop &&
              SM.isBeforeInTranslationUnit(Site.At, J.At)) {
            SourceLocation End = endIn(J, Depth + 1);
            if (Life.End.isInvalid() || SM.isBeforeInTranslationUnit(Life.End, End))
              Life.End = End;
          }
        if (Life.End.isValid())
          return Life;
        Life.Begin = loc(Loop->getBeginLoc());
      }
    } else if (!Site.Loops.empty()) {
      Life.Begin = loc(Site.Loops.front()->getBeginLoc());
    }
    for (const JoinSite &J : Joins)
      if ((!Named || J.Family == Family) && SM.isBeforeInTranslationUnit(Life.Begin, endIn(J, 0)) &&
          (Life.End.isInvalid() || SM.isBeforeInTranslationUnit(Life.End, endIn(J, 0))))
        Life.End = endIn(J, 0);
    return Life;
  }
  std::vector<const LambdaExpr *> Lambdas;
  llvm::DenseSet<const FunctionDecl *> SpawnEntries;
  /// Initializers (peeled) of the local thread and future variables.
  llvm::DenseMap<const Expr *, const VarDecl *> Handles;

  void addAccess(const Expr *E, const ValueDecl *D) {
    if (!CollectAccesses || !isTracked(Ctx, D))
      return;
    AccessFact F;
    if (const auto *G = D->getAttr<GuardedByAttr>())
      F.Guard = G->getArg();
    else
      F.Guard = pointeeGuard(E);
    Out.Accesses.try_emplace(E, F);
  }

  /// The PT_GUARDED_BY argument of the pointer \p E is reached through
  /// (`ptr_->count`, `ptr_->stats.count`), if any.
  static const Expr *pointeeGuard(const Expr *E) {
    const auto *ME = dyn_cast<MemberExpr>(E);
    while (ME && !ME->isArrow())
      ME = dyn_cast<MemberExpr>(ME->getBase()->IgnoreParenImpCasts());
    if (!ME)
      return nullptr;
    const Expr *Pointer = ME->getBase()->IgnoreParenImpCasts();
    const ValueDecl *PD = nullptr;
    if (const auto *PME = dyn_cast<MemberExpr>(Pointer))
      PD = PME->getMemberDecl();
    else if (const auto *DRE = dyn_cast<DeclRefExpr>(Pointer))
      PD = DRE->getDecl();
    const auto *PG = PD ? PD->getAttr<PtGuardedByAttr>() : nullptr;
    return PG ? PG->getArg() : nullptr;
  }

  /// Marks the variable \p E denotes (through parentheses, base-class
  /// casts and subscripts of arrays) as written.
  void markWrite(const Expr *E) {
    while (E) {
      E = E->IgnoreParens();
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E)) {
        CastKind K = ICE->getCastKind();
        if (K != CK_NoOp && K != CK_DerivedToBase && K != CK_UncheckedDerivedToBase &&
            K != CK_ArrayToPointerDecay)
          return;
        E = ICE->getSubExpr();
        continue;
      }
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
        E = ASE->getBase();
        continue;
      }
      // v_[i] = x, v_.at(i) = x, v_.back() = x: a write to v_'s element.
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
          OC && OC->getOperator() == OO_Subscript && isa<CXXMethodDecl>(OC->getCalleeDecl())) {
        E = OC->getArg(0);
        continue;
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
          MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
          (MC->getMethodDecl()->getName() == "at" || MC->getMethodDecl()->getName() == "front" ||
           MC->getMethodDecl()->getName() == "back")) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      if (isa<MemberExpr>(E) || isa<DeclRefExpr>(E))
        Writes.insert(E);
      return;
    }
  }

  /// An argument bound to a parameter of type \p P.
  void argument(QualType P, const Expr *A) {
    if (P->isReferenceType() && !P.getNonReferenceType().isConstQualified()) {
      markWrite(A);
      return;
    }
    // An array passed to a non-const pointer (memset(buf_, ...)).
    if (P->isPointerType() && !P->getPointeeType().isConstQualified())
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(A->IgnoreParens());
          ICE && ICE->getCastKind() == CK_ArrayToPointerDecay)
        markWrite(ICE);
  }

  SourceLocation loc(SourceLocation L) const { return SM.getExpansionLoc(L); }

  void start(const Expr *E) {
    std::optional<ThreadStart> T = threadStartOf(E);
    if (!T)
      return;
    // A thread starts here even if we cannot name what it runs.
    StartSites.push_back({loc(T->At), Loops});
    if (const VarDecl *VD = Handles.lookup(E)) {
      T->Handle = VD;
      T->Family = VD;
      T->At = VD->getLocation();
    }
    T->InLoop = !Loops.empty();
    T->PrivateArg = T->InLoop && isPrivateThreadArg(T->Arg, Loops.back(), SM);
    if (T->Entry)
      SpawnEntries.insert(T->Entry);
    Out.Starts.push_back(*T);
  }
};

} // namespace

std::vector<size_t> BodyFacts::runningAt(const SourceManager &SM, SourceLocation L) const {
  std::vector<size_t> Running;
  if (L.isInvalid())
    return Running;
  L = SM.getExpansionLoc(L);
  for (size_t I = 0; I < Lifetimes.size(); ++I)
    if (!SM.isBeforeInTranslationUnit(L, Lifetimes[I].Begin) &&
        !(Lifetimes[I].End.isValid() && SM.isBeforeInTranslationUnit(Lifetimes[I].End, L)))
      Running.push_back(I);
  return Running;
}

SourceRange BodyFacts::outerLoopAt(const SourceManager &SM, SourceLocation L) const {
  if (L.isInvalid())
    return {};
  L = SM.getExpansionLoc(L);
  for (const SourceRange &R : OuterLoops)
    if (!SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
        !SM.isBeforeInTranslationUnit(R.getEnd(), L))
      return R;
  return {};
}

bool BodyFacts::sequential(const SourceManager &SM, SourceLocation L) const {
  return !Lifetimes.empty() && L.isValid() && runningAt(SM, L).empty();
}

int BodyFacts::startOf(const VarDecl *VD) const {
  int Found = -1;
  for (size_t I = 0; VD && I < Starts.size(); ++I)
    if (Starts[I].Handle == VD) {
      if (Found >= 0)
        return -1;
      Found = int(I);
    }
  return Found;
}

/// A module's initializer or finalizer: a function without parameters (so
/// it sets up global state, not an object or a callback's context, such as
/// memcached's crawler_expired_init(cm, data), run by the crawler thread on
/// each crawl) whose name's last word (after `_`, or a capitalized one) is
/// init, fini, initialize, finalize or deinit.
static bool namedInitFini(const FunctionDecl *FD) {
  if (!FD->getIdentifier() || isa<CXXMethodDecl>(FD) || FD->getNumParams() != 0)
    return false;
  StringRef Name = FD->getName();
  size_t Start = Name.find_last_of('_');
  Start = Start == StringRef::npos ? 0 : Start + 1;
  for (size_t I = Name.size(); I-- > Start + 1;)
    if (isUppercase(Name[I]) && isLowercase(Name[I - 1])) {
      Start = I;
      break;
    }
  std::string Last = Name.substr(Start).lower();
  return llvm::is_contained({"init", "fini", "initialize", "finalize", "deinit"}, Last);
}

BodyFacts collectBodyFacts(const FunctionDecl *FD, ASTContext &Ctx) {
  BodyFacts Out;
  if (isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD))
    Out.Role = FunctionRole::CtorDtor;
  else if (namedInitFini(FD))
    Out.Role = FunctionRole::InitFini;
  else if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
           MD && MD->isInstance() && !MD->getParent()->isLambda() &&
           MD->getCanonicalDecl()->getAccess() == AS_public &&
           hasLockMember(Ctx, MD->getParent()))
    Out.Role = FunctionRole::SharedMethod;
  for (const auto *A : FD->specific_attrs<RequiresCapabilityAttr>())
    if (!A->isShared())
      for (const Expr *E : A->args())
        Out.Required.push_back(E);
  Collector C(Ctx, Out, Out.Role != FunctionRole::CtorDtor && Out.Role != FunctionRole::InitFini);
  if (Stmt *Body = FD->getBody())
    C.TraverseStmt(Body);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *I : Ctor->inits())
      if (I->isWritten() && I->getInit())
        C.TraverseStmt(I->getInit());
  C.finish();
  return Out;
}

//===----------------------------------------------------------------------===//
// Non-blocking descriptors of a translation unit
//===----------------------------------------------------------------------===//

namespace {

/// The variable, parameter or field a descriptor expression names: `fd`,
/// `fds[1]` (the array), `pq->evfd`, `*wfd` (the pointer).
const ValueDecl *descriptorDecl(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD ? VD->getCanonicalDecl() : nullptr;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return descriptorDecl(ASE->getBase());
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref)
    return descriptorDecl(UO->getSubExpr());
  return nullptr;
}

/// \p E spells a flag that makes a descriptor non-blocking (O_NONBLOCK,
/// FIONBIO, EFD_NONBLOCK, SOCK_NONBLOCK, ...), through macros or as glibc's
/// enumerators.
bool mentionsNonBlockFlag(const Stmt *E, const SourceManager &SM, const LangOptions &LO) {
  if (!E)
    return false;
  auto IsFlag = [](StringRef N) {
    return N == "O_NONBLOCK" || N == "O_NDELAY" || N == "FIONBIO" ||
           (N.ends_with("_NONBLOCK") && N.size() <= 16);
  };
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (isa<EnumConstantDecl>(DRE->getDecl()) && IsFlag(DRE->getDecl()->getName()))
      return true;
  for (SourceLocation L = E->getBeginLoc(); L.isMacroID(); L = SM.getImmediateMacroCallerLoc(L))
    if (IsFlag(Lexer::getImmediateMacroName(L, SM, LO)))
      return true;
  for (const Stmt *Child : E->children())
    if (mentionsNonBlockFlag(Child, SM, LO))
      return true;
  return false;
}

class DescriptorCollector : public RecursiveASTVisitor<DescriptorCollector> {
public:
  DescriptorCollector(ASTContext &Ctx, DescriptorFacts &Out,
                      function_ref<bool(const FunctionDecl *, unsigned)> ExternalSetter,
                      function_ref<bool(const FieldDecl *)> ExternalField)
      : SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), Out(Out),
        ExternalSetter(ExternalSetter), ExternalField(ExternalField) {}

  /// Each function body on its own (methods and lambdas too), for
  /// SelfPipeModule; system headers' bodies are skipped.
  bool TraverseDecl(Decl *D) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      return RecursiveASTVisitor::TraverseDecl(D);
    if (SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
      return true;
    Defined.push_back(FD);
    bool Outer[2] = {CreatesChannel, MakesNonBlocking};
    CreatesChannel = MakesNonBlocking = false;
    RecursiveASTVisitor::TraverseDecl(D);
    Out.SelfPipeModule |= CreatesChannel && MakesNonBlocking;
    CreatesChannel = Outer[0];
    MakesNonBlocking = Outer[1];
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !FD->getIdentifier())
      return true;
    StringRef N = FD->getName();
    unsigned Args = CE->getNumArgs();
    auto Flag = [&](unsigned I) { return I < Args && mentionsNonBlockFlag(CE->getArg(I), SM, LO); };
    if (N == "pipe" || N == "pipe2" || N == "eventfd" || N == "socketpair")
      CreatesChannel = true;
    if (isDescriptorIo(N) && Args)
      if (const ValueDecl *D = descriptorDecl(CE->getArg(0)))
        IoDescriptors.insert(D);
    // A descriptor passed to a function that makes its parameter
    // non-blocking: libzmq's unblock_socket(_w); or its address, to one
    // that makes what it points to non-blocking or stores such a
    // descriptor there (libmosquitto's net__socket_nonblock(&sv[0]) and
    // net__socketpair(&mosq->sockpairR, &mosq->sockpairW)).
    for (unsigned I = 0; I < Args && I < FD->getNumParams(); ++I)
      if (const ValueDecl *D = passedDescriptor(CE->getArg(I))) {
        Passed.push_back({FD, I, D});
        if (const auto *F = dyn_cast<FieldDecl>(D); F && CE->getArg(I)->getType()->isPointerType())
          Out.FieldOutParams.push_back({FD, I, F});
        if (ExternalSetter(FD, I)) {
          Out.NonBlocking.insert(D);
          MakesNonBlocking = true;
        }
      }
    if ((N == "fcntl" && Flag(2)) || (N == "ioctl" && Flag(1)) || (N == "pipe2" && Flag(1)))
      mark(CE->getArg(0));
    else if (N == "socketpair" && Flag(1) && Args == 4)
      mark(CE->getArg(3));
    return true;
  }

  // `fd = eventfd(0, EFD_NONBLOCK)`, `pq->evfd = fd`, `*wfd = fds[1]`.
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      assigned(BO->getLHS(), BO->getRHS());
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getInit() && !isa<ParmVarDecl>(VD) && VD->getType()->isIntegerType())
      flow(VD->getCanonicalDecl(), VD->getInit()->IgnoreParenImpCasts());
    return true;
  }

  /// Copies between descriptor variables and fields, and from parameters
  /// made non-blocking to what is passed for them, to a fixpoint; then
  /// what other TUs may need to know or tell.
  void finish() {
    for (const PassedDescriptor &P : Passed)
      if (const FunctionDecl *Def = P.Callee->getDefinition();
          Def && !SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
        Copies.push_back({P.Arg, Def->getParamDecl(P.Index)->getCanonicalDecl()});
    auto External = [&](const ValueDecl *D) {
      if (const auto *F = dyn_cast<FieldDecl>(D); F && ExternalField(F))
        Out.NonBlocking.insert(F);
    };
    for (auto [To, From] : Copies) {
      External(To);
      External(From);
    }
    for (const ValueDecl *D : IoDescriptors)
      External(D);
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (auto [To, From] : Copies)
        if (Out.NonBlocking.count(From) && Out.NonBlocking.insert(To).second)
          Changed = true;
    }
    for (const FunctionDecl *FD : Defined)
      for (unsigned I = 0; I < FD->getNumParams(); ++I)
        if (Out.NonBlocking.count(FD->getParamDecl(I)->getCanonicalDecl()))
          Out.SetterParams.push_back({FD, I});
    for (const PassedDescriptor &P : Passed)
      if (!P.Callee->getDefinition() && IoDescriptors.count(P.Arg) &&
          !Out.NonBlocking.count(P.Arg) &&
          !SM.isInSystemHeader(SM.getExpansionLoc(P.Callee->getLocation())))
        Out.HandOffs.push_back({P.Callee, P.Index});
    for (const ValueDecl *D : IoDescriptors)
      if (const auto *F = dyn_cast<FieldDecl>(D); F && !Out.NonBlocking.count(F))
        Out.FieldIo.push_back(F);
  }

private:
  /// The descriptor an argument passes: an integer, or the address of one
  /// (`&fd`, `&fds[0]`, `&s->fd`, or a pointer parameter passed on, which
  /// stands for what it points to as `*p` does).
  static const ValueDecl *passedDescriptor(const Expr *Arg) {
    QualType T = Arg->getType();
    if (T->isIntegerType())
      return descriptorDecl(Arg);
    if (!T->isPointerType() || !T->getPointeeType()->isIntegerType())
      return nullptr;
    const Expr *E = Arg->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      return descriptorDecl(UO->getSubExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E); DRE && isa<ParmVarDecl>(DRE->getDecl()))
      return descriptorDecl(E);
    return nullptr;
  }

  void mark(const Expr *Fd) {
    if (const ValueDecl *D = descriptorDecl(Fd)) {
      Out.NonBlocking.insert(D);
      MakesNonBlocking = true;
    }
  }

  void assigned(const Expr *LHS, const Expr *RHS) {
    if (!LHS->getType()->isIntegerType())
      return;
    if (const ValueDecl *To = descriptorDecl(LHS))
      flow(To, RHS->IgnoreParenImpCasts());
  }

  /// \p To receives \p From: a new non-blocking descriptor, or a copy.
  void flow(const ValueDecl *To, const Expr *From) {
    if (const auto *CE = dyn_cast<CallExpr>(From)) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (!FD || !FD->getIdentifier())
        return;
      StringRef N = FD->getName();
      // Where each creator takes its flags.
      unsigned FlagArg = N == "eventfd" || N == "socket" || N == "timerfd_create" ? 1
                         : N == "accept4"                                          ? 3
                         : N == "signalfd"                                         ? 2
                         : N == "inotify_init1"                                    ? 0
                                                                                   : ~0u;
      if (FlagArg < CE->getNumArgs() && mentionsNonBlockFlag(CE->getArg(FlagArg), SM, LO)) {
        Out.NonBlocking.insert(To);
        MakesNonBlocking = true;
      }
      return;
    }
    if (const ValueDecl *D = descriptorDecl(From))
      Copies.push_back({To, D});
  }

  const SourceManager &SM;
  const LangOptions &LO;
  DescriptorFacts &Out;
  function_ref<bool(const FunctionDecl *, unsigned)> ExternalSetter;
  function_ref<bool(const FieldDecl *)> ExternalField;
  std::vector<std::pair<const ValueDecl *, const ValueDecl *>> Copies;
  struct PassedDescriptor {
    const FunctionDecl *Callee;
    unsigned Index;
    const ValueDecl *Arg;
  };
  std::vector<PassedDescriptor> Passed;
  llvm::DenseSet<const ValueDecl *> IoDescriptors;
  std::vector<const FunctionDecl *> Defined;
  bool CreatesChannel = false, MakesNonBlocking = false;
};

} // namespace

bool DescriptorFacts::nonBlocking(const Expr *Fd) const {
  const ValueDecl *D = descriptorDecl(Fd);
  if (!D)
    return false;
  if (NonBlocking.count(D))
    return true;
  return SelfPipeModule && isa<ParmVarDecl>(D) &&
         isa<DeclRefExpr>(Fd->IgnoreParenImpCasts());
}

bool isDescriptorIo(StringRef Name) {
  return llvm::is_contained({"read", "write", "pread", "pwrite", "readv", "writev", "recv",
                             "recvfrom", "recvmsg", "send", "sendto", "sendmsg", "accept",
                             "accept4", "connect"},
                            Name);
}

DescriptorFacts collectDescriptorFacts(
    ASTContext &Ctx, function_ref<bool(const FunctionDecl *, unsigned)> ExternalSetter,
    function_ref<bool(const FieldDecl *)> ExternalField) {
  DescriptorFacts Out;
  DescriptorCollector C(Ctx, Out, ExternalSetter, ExternalField);
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
  C.finish();
  return Out;
}

} // namespace lockgraph::analyzer
