//===- Summary.cpp - Lock refs and summary serialization ------------------===//
#include "lockgraph/analyzer/Summary.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace lockgraph::analyzer {

std::string LockRef::key() const {
  std::string K;
  switch (Base) {
  case BaseKind::Global: K = "g:" + Name; break;
  case BaseKind::Local: K = "l:" + Name; break;
  case BaseKind::Param: K = "p" + std::to_string(Index); break;
  case BaseKind::This: K = "this"; break;
  case BaseKind::Unknown: K = "?:" + Name; break;
  }
  for (const PathElem &E : Path)
    K += (E.ThroughPointer ? "->" : ".") + E.Class + "::" + E.Field;
  return K;
}

std::string LockRef::className() const {
  if (!Path.empty())
    return Path.back().Class + "::" + Path.back().Field;
  return Name;
}

std::string LockRef::instanceName() const {
  if ((Base != BaseKind::Global && Base != BaseKind::Local) || Path.empty())
    return {};
  std::string N = Name;
  for (const PathElem &E : Path) {
    if (E.ThroughPointer)
      return {};
    N += "." + E.Field;
  }
  return N;
}

std::string LockRef::displayName() const {
  std::string I = instanceName();
  return I.empty() ? className() : I;
}

std::string effectDigest(const std::vector<HeldLock> &ReturnsHolding,
                         const std::vector<LockRef> &Releases) {
  std::string D;
  for (const HeldLock &H : ReturnsHolding)
    D += "+" + H.Lock.key() + "/" + std::string(toString(H.Mode));
  for (const LockRef &R : Releases)
    D += "-" + R.key();
  return D;
}

LockRef substitute(const LockRef &R, const std::vector<std::optional<LockRef>> &Args,
                   const std::optional<LockRef> &This) {
  if (!R.symbolic())
    return R;
  const std::optional<LockRef> *Actual = nullptr;
  if (R.Base == BaseKind::This)
    Actual = &This;
  else if (R.Index >= 0 && size_t(R.Index) < Args.size())
    Actual = &Args[R.Index];
  if (!Actual || !*Actual) {
    LockRef U = R;
    U.Base = BaseKind::Unknown;
    U.Index = -1;
    U.PointerValue = false;
    return U;
  }
  LockRef Out = **Actual;
  for (size_t I = 0; I < R.Path.size(); ++I) {
    PathElem E = R.Path[I];
    if (I == 0 && Out.PointerValue)
      E.ThroughPointer = true;
    Out.Path.push_back(std::move(E));
  }
  Out.PointerValue = R.PointerValue;
  if (R.Kind != LockKind::Unknown)
    Out.Kind = R.Kind;
  if (Out.Path.size() > MaxPathLength) {
    Out.Base = BaseKind::Unknown;
    Out.Name = Out.className();
    Out.Index = -1;
    Out.Path.erase(Out.Path.begin(), Out.Path.end() - 1);
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static StringRef baseName(BaseKind B) {
  switch (B) {
  case BaseKind::Global: return "global";
  case BaseKind::Local: return "local";
  case BaseKind::Param: return "param";
  case BaseKind::This: return "this";
  case BaseKind::Unknown: return "unknown";
  }
  return "unknown";
}

static json::Value toJSON(const Frame &F) {
  return json::Array{F.Function, F.File, F.Line, F.Column};
}

static json::Value toJSON(const LockRef &R) {
  json::Array Path;
  for (const PathElem &E : R.Path)
    Path.push_back(json::Array{E.Field, E.Class, E.ThroughPointer});
  return json::Object{{"base", baseName(R.Base)},
                      {"name", R.Name},
                      {"index", R.Index},
                      {"path", std::move(Path)},
                      {"kind", std::string(toString(R.Kind))},
                      {"ptr", R.PointerValue}};
}

static json::Value toJSON(const std::vector<LockRef> &Refs) {
  json::Array A;
  for (const LockRef &R : Refs)
    A.push_back(toJSON(R));
  return A;
}

static json::Value toJSON(const std::vector<HeldLock> &Held) {
  json::Array A;
  for (const HeldLock &H : Held) {
    json::Object O{{"lock", toJSON(H.Lock)},
                   {"at", toJSON(H.At)},
                   {"mode", std::string(toString(H.Mode))}};
    if (H.SomePaths)
      O["some_paths"] = true;
    A.push_back(std::move(O));
  }
  return A;
}

static json::Value toJSON(const Finding &F) {
  json::Array Notes;
  for (const FindingNote &N : F.Notes)
    Notes.push_back(json::Object{{"at", toJSON(N.Where)}, {"message", N.Message}});
  json::Array Locks;
  for (const std::string &L : F.Locks)
    Locks.push_back(L);
  return json::Object{{"check", F.Check},     {"message", F.Message},
                      {"at", toJSON(F.Location)}, {"notes", std::move(Notes)},
                      {"locks", std::move(Locks)}, {"key", F.FingerprintKey}};
}

/// ParamFacts as [param, path, equal, value] arrays.
static json::Array factsToJSON(const std::vector<ParamFact> &Facts) {
  json::Array A;
  for (const ParamFact &F : Facts)
    A.push_back(json::Array{F.Param, F.Path, F.Equal, F.Value});
  return A;
}

/// Reads factsToJSON's arrays (absent: none) into \p Into.
static bool readFacts(const json::Array *Facts, std::vector<ParamFact> &Into) {
  if (!Facts)
    return true;
  for (const json::Value &V : *Facts) {
    const json::Array *F = V.getAsArray();
    if (!F || F->size() != 4 || !(*F)[0].getAsUINT64() || !(*F)[1].getAsString() ||
        !(*F)[2].getAsBoolean() || !(*F)[3].getAsInteger())
      return false;
    Into.push_back({unsigned(*(*F)[0].getAsUINT64()), (*F)[1].getAsString()->str(),
                    *(*F)[2].getAsBoolean(), *(*F)[3].getAsInteger()});
  }
  return true;
}

json::Value toJSON(const TUSummary &S) {
  json::Array Fns;
  for (const FunctionSummary &F : S.Functions) {
    json::Array Acq, Calls, Blocking, Findings, Overrides;
    for (const Acquisition &A : F.Acquisitions)
      Acq.push_back(json::Object{{"lock", toJSON(A.Lock)},
                                 {"at", toJSON(A.At)},
                                 {"mode", std::string(toString(A.Mode))},
                                 {"try", A.Try},
                                 {"reacquire", A.Reacquire},
                                 {"released", toJSON(A.Released)},
                                 {"held", toJSON(A.Held)}});
    for (const CallSite &C : F.Calls) {
      json::Array Args;
      for (const auto &A : C.Args)
        Args.push_back(A ? toJSON(*A) : json::Value(nullptr));
      Calls.push_back(json::Object{{"callee", C.Callee},
                                   {"name", C.CalleeName},
                                   {"at", toJSON(C.At)},
                                   {"held", toJSON(C.Held)},
                                   {"args", std::move(Args)},
                                   {"this", C.This ? toJSON(*C.This) : json::Value(nullptr)},
                                   {"released", toJSON(C.Released)},
                                   {"maybe-held", toJSON(C.MaybeHeld)},
                                   {"seq", C.Sequential},
                                   {"running", json::Array(C.Running)},
                                   {"loop", C.InLoop},
                                   {"once", C.OnceOnly},
                                   {"single", C.SingleThreaded},
                                   {"loop_lines", json::Array{C.LoopFirstLine, C.LoopLastLine}},
                                   {"fn_args", json::Array(C.FnArgs)},
                                   {"arg_facts", factsToJSON(C.ArgFacts)},
                                   {"guards", factsToJSON(C.Guards)},
                                   {"param_args", json::Array(C.ParamArgs)},
                                   {"through_this", C.ThroughThis},
                                   {"direct", C.Direct}});
    }
    for (const BlockingCall &B : F.Blocking) {
      json::Array Rel;
      for (const LockRef &R : B.Releases)
        Rel.push_back(toJSON(R));
      Blocking.push_back(json::Object{{"what", B.What},
                                      {"at", toJSON(B.At)},
                                      {"held", toJSON(B.Held)},
                                      {"releases", std::move(Rel)},
                                      {"released", toJSON(B.Released)},
                                      {"timeout_param", B.TimeoutParam}});
    }
    json::Array Accesses, Spawns;
    for (const Access &A : F.Accesses)
      Accesses.push_back(json::Object{{"var", toJSON(A.Var)},
                                      {"write", A.Kind == AccessKind::Write},
                                      {"at", toJSON(A.At)},
                                      {"held", toJSON(A.Held)},
                                      {"released", toJSON(A.Released)},
                                      {"maybe-held", toJSON(A.MaybeHeld)},
                                      {"guard", A.DeclaredGuard},
                                      {"seq", A.Sequential},
                                      {"running", json::Array(A.Running)},
                                      {"address-to", A.AddressTo},
                                      {"guards", factsToJSON(A.Guards)}});
    json::Array Lambdas;
    for (const CallSite &C : F.LambdaCalls)
      Lambdas.push_back(json::Object{{"callee", C.Callee},
                                     {"name", C.CalleeName},
                                     {"at", toJSON(C.At)},
                                     {"held", toJSON(C.Held)},
                                     {"this", C.This ? toJSON(*C.This) : json::Value(nullptr)},
                                     {"released", toJSON(C.Released)},
                                     {"maybe-held", toJSON(C.MaybeHeld)},
                                     {"seq", C.Sequential},
                                     {"running", json::Array(C.Running)}});
    for (const ThreadSpawn &T : F.Spawns)
      Spawns.push_back(json::Object{{"entry", T.Entry},
                                    {"name", T.Name},
                                    {"at", toJSON(T.At)},
                                    {"repeated", T.Repeated},
                                    {"private-arg", T.PrivateArg}});
    json::Array Waits, Notifies;
    for (const WaitSite &W : F.Waits)
      Waits.push_back(json::Object{{"kind", std::string(toString(W.Kind))},
                                   {"cv", toJSON(W.CondVar)},
                                   {"thread", W.Thread},
                                   {"what", W.What},
                                   {"at", toJSON(W.At)},
                                   {"timed", W.Timed},
                                   {"held", toJSON(W.Held)},
                                   {"releases", toJSON(W.Releases)}});
    for (const NotifySite &N : F.Notifies)
      Notifies.push_back(json::Object{{"cv", toJSON(N.CondVar)},
                                      {"at", toJSON(N.At)},
                                      {"held", toJSON(N.Held)},
                                      {"before", toJSON(N.AcquiredBefore)}});
    for (const Finding &Fi : F.Findings)
      Findings.push_back(toJSON(Fi));
    json::Array Unchecked;
    for (const Finding &Fi : F.UncheckedWaits)
      Unchecked.push_back(toJSON(Fi));
    for (const std::string &O : F.Overrides)
      Overrides.push_back(O);
    Fns.push_back(json::Object{{"usr", F.USR},
                               {"name", F.Name},
                               {"decl", toJSON(F.Decl)},
                               {"overrides", std::move(Overrides)},
                               {"acquisitions", std::move(Acq)},
                               {"calls", std::move(Calls)},
                               {"blocking", std::move(Blocking)},
                               {"waits", std::move(Waits)},
                               {"notifies", std::move(Notifies)},
                               {"findings", std::move(Findings)},
                               {"unchecked-waits", std::move(Unchecked)},
                               {"accesses", std::move(Accesses)},
                               {"spawns", std::move(Spawns)},
                               {"lambdas", std::move(Lambdas)},
                               {"role", int(F.Role)},
                               {"returns-holding", toJSON(F.ReturnsHolding)},
                               {"releases-callers", toJSON(F.ReleasesCallers)},
                               {"hands-over-callers", toJSON(F.HandsOverCallers)},
                               {"returns-lock-result", F.ReturnsLockResult},
                               {"recursive-inits", toJSON(F.RecursiveInits)}});
  }
  json::Array Inputs, Skipped, InternalLocks, ExternalGlobals, MainFileMacros;
  for (const std::string &I : S.MainFileMacros)
    MainFileMacros.push_back(I);
  for (const std::string &I : S.Inputs)
    Inputs.push_back(I);
  for (const std::string &I : S.Skipped)
    Skipped.push_back(I);
  for (const std::string &I : S.InternalLocks)
    InternalLocks.push_back(I);
  for (const std::string &I : S.ExternalGlobals)
    ExternalGlobals.push_back(I);
  json::Array NonBlockingParams, DescriptorHandOffs, NonBlockingFields, DescriptorFieldIo,
      FieldOutParams;
  for (const std::string &I : S.NonBlockingFields)
    NonBlockingFields.push_back(I);
  for (const std::string &I : S.DescriptorFieldIo)
    DescriptorFieldIo.push_back(I);
  for (const auto &[Param, Field] : S.FieldOutParams)
    FieldOutParams.push_back(json::Array{Param, Field});
  for (const std::string &I : S.NonBlockingParams)
    NonBlockingParams.push_back(I);
  for (const std::string &I : S.DescriptorHandOffs)
    DescriptorHandOffs.push_back(I);
  json::Array FieldTargets, TargetFlows, LockTypes;
  for (const auto &[Field, Type] : S.LockTypes)
    LockTypes.push_back(json::Array{Field, Type});
  for (const auto &[Field, Fn] : S.FieldTargets)
    FieldTargets.push_back(json::Array{Field, Fn});
  for (const auto &[Into, From] : S.TargetFlows)
    TargetFlows.push_back(json::Array{Into, From});
  return json::Object{{"format", "lockgraph-summary"},
                      {"version", SummaryFormatVersion},
                      {"file", S.File},
                      {"target", S.Target},
                      {"inputs", std::move(Inputs)},
                      {"main-file-macros", std::move(MainFileMacros)},
                      {"skipped", std::move(Skipped)},
                      {"internal-locks", std::move(InternalLocks)},
                      {"external-globals", std::move(ExternalGlobals)},
                      {"lock-types", std::move(LockTypes)},
                      {"field-targets", std::move(FieldTargets)},
                      {"target-flows", std::move(TargetFlows)},
                      {"non-blocking-params", std::move(NonBlockingParams)},
                      {"descriptor-hand-offs", std::move(DescriptorHandOffs)},
                      {"non-blocking-fields", std::move(NonBlockingFields)},
                      {"descriptor-field-io", std::move(DescriptorFieldIo)},
                      {"field-out-params", std::move(FieldOutParams)},
                      {"functions", std::move(Fns)}};
}

namespace {
/// Reads with json::Path error tracking; each reader returns false on error.
bool readFrame(const json::Value *V, Frame &F, json::Path P) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A || A->size() != 4) {
    P.report("expected [function, file, line, column]");
    return false;
  }
  auto S0 = (*A)[0].getAsString(), S1 = (*A)[1].getAsString();
  auto L = (*A)[2].getAsInteger(), C = (*A)[3].getAsInteger();
  if (!S0 || !S1 || !L || !C) {
    P.report("malformed frame");
    return false;
  }
  F.Function = S0->str();
  F.File = S1->str();
  F.Line = unsigned(*L);
  F.Column = unsigned(*C);
  return true;
}

bool readRef(const json::Value *V, LockRef &R, json::Path P) {
  const json::Object *O = V ? V->getAsObject() : nullptr;
  if (!O) {
    P.report("expected a lock reference");
    return false;
  }
  auto B = O->getString("base");
  auto N = O->getString("name");
  auto I = O->getInteger("index");
  auto K = O->getString("kind");
  const json::Array *Path = O->getArray("path");
  if (!B || !N || !I || !K || !Path) {
    P.report("malformed lock reference");
    return false;
  }
  if (*B == "global") R.Base = BaseKind::Global;
  else if (*B == "local") R.Base = BaseKind::Local;
  else if (*B == "param") R.Base = BaseKind::Param;
  else if (*B == "this") R.Base = BaseKind::This;
  else R.Base = BaseKind::Unknown;
  R.Name = N->str();
  R.Index = int(*I);
  R.Kind = parseLockKind(*K).value_or(LockKind::Unknown);
  R.PointerValue = O->getBoolean("ptr").value_or(false);
  for (const json::Value &E : *Path) {
    const json::Array *A = E.getAsArray();
    if (!A || A->size() != 3 || !(*A)[0].getAsString() || !(*A)[1].getAsString() ||
        !(*A)[2].getAsBoolean()) {
      P.report("malformed path element");
      return false;
    }
    R.Path.push_back({(*A)[0].getAsString()->str(), (*A)[1].getAsString()->str(),
                      *(*A)[2].getAsBoolean()});
  }
  return true;
}

AcquireMode readMode(const json::Object &O) {
  auto M = O.getString("mode");
  return M ? parseAcquireMode(*M).value_or(AcquireMode::Exclusive)
           : AcquireMode::Exclusive;
}

bool readHeld(const json::Value *V, std::vector<HeldLock> &Out, json::Path P) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A) {
    P.report("expected an array of held locks");
    return false;
  }
  for (size_t I = 0; I < A->size(); ++I) {
    const json::Object *O = (*A)[I].getAsObject();
    if (!O) {
      P.index(I).report("expected an object");
      return false;
    }
    HeldLock H;
    if (!readRef(O->get("lock"), H.Lock, P.index(I).field("lock")) ||
        !readFrame(O->get("at"), H.At, P.index(I).field("at")))
      return false;
    H.Mode = readMode(*O);
    H.SomePaths = O->getBoolean("some_paths").value_or(false);
    Out.push_back(std::move(H));
  }
  return true;
}

bool readRefs(const json::Value *V, std::vector<LockRef> &Out, json::Path P) {
  if (!V)
    return true; // optional
  const json::Array *A = V->getAsArray();
  if (!A) {
    P.report("expected an array of lock references");
    return false;
  }
  for (const json::Value &E : *A) {
    LockRef R;
    if (!readRef(&E, R, P))
      return false;
    Out.push_back(std::move(R));
  }
  return true;
}

bool readStrings(const json::Value *V, std::vector<std::string> &Out, json::Path P) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A) {
    P.report("expected an array of strings");
    return false;
  }
  for (const json::Value &E : *A) {
    auto S = E.getAsString();
    if (!S) {
      P.report("expected a string");
      return false;
    }
    Out.push_back(S->str());
  }
  return true;
}

bool readFinding(const json::Value &V, Finding &F, json::Path P) {
  const json::Object *O = V.getAsObject();
  if (!O) {
    P.report("expected a finding");
    return false;
  }
  auto C = O->getString("check"), M = O->getString("message"), K = O->getString("key");
  const json::Array *Notes = O->getArray("notes");
  if (!C || !M || !K || !Notes || !readFrame(O->get("at"), F.Location, P.field("at")) ||
      !readStrings(O->get("locks"), F.Locks, P.field("locks")))
    return false;
  F.Check = C->str();
  F.Message = M->str();
  F.FingerprintKey = K->str();
  F.Origin = "static";
  for (const json::Value &N : *Notes) {
    const json::Object *NO = N.getAsObject();
    FindingNote FN;
    if (!NO || !NO->getString("message") ||
        !readFrame(NO->get("at"), FN.Where, P.field("notes")))
      return false;
    FN.Message = NO->getString("message")->str();
    F.Notes.push_back(std::move(FN));
  }
  return true;
}

bool readFunction(const json::Value &V, FunctionSummary &F, json::Path P) {
  const json::Object *O = V.getAsObject();
  if (!O || !O->getString("usr") || !O->getString("name")) {
    P.report("expected a function summary");
    return false;
  }
  F.USR = O->getString("usr")->str();
  F.Name = O->getString("name")->str();
  if (!readFrame(O->get("decl"), F.Decl, P.field("decl")) ||
      !readStrings(O->get("overrides"), F.Overrides, P.field("overrides")))
    return false;
  const json::Array *Acq = O->getArray("acquisitions"), *Calls = O->getArray("calls"),
                    *Blocking = O->getArray("blocking"), *Findings = O->getArray("findings");
  if (!Acq || !Calls || !Blocking || !Findings) {
    P.report("missing arrays");
    return false;
  }
  for (const json::Value &E : *Acq) {
    const json::Object *AO = E.getAsObject();
    Acquisition A;
    if (!AO || !readRef(AO->get("lock"), A.Lock, P) || !readFrame(AO->get("at"), A.At, P) ||
        !readHeld(AO->get("held"), A.Held, P))
      return false;
    A.Mode = readMode(*AO);
    A.Try = AO->getBoolean("try").value_or(false);
    A.Reacquire = AO->getBoolean("reacquire").value_or(false);
    if (!readRefs(AO->get("released"), A.Released, P))
      return false;
    F.Acquisitions.push_back(std::move(A));
  }
  for (const json::Value &E : *Calls) {
    const json::Object *CO = E.getAsObject();
    CallSite C;
    if (!CO || !CO->getString("callee") || !CO->getString("name") ||
        !readFrame(CO->get("at"), C.At, P) || !readHeld(CO->get("held"), C.Held, P) ||
        !CO->getArray("args"))
      return false;
    C.Callee = CO->getString("callee")->str();
    C.CalleeName = CO->getString("name")->str();
    for (const json::Value &A : *CO->getArray("args")) {
      if (A.kind() == json::Value::Null) {
        C.Args.push_back(std::nullopt);
        continue;
      }
      LockRef R;
      if (!readRef(&A, R, P))
        return false;
      C.Args.push_back(std::move(R));
    }
    if (const json::Value *T = CO->get("this"); T && T->kind() != json::Value::Null) {
      LockRef R;
      if (!readRef(T, R, P))
        return false;
      C.This = std::move(R);
    }
    if (!readRefs(CO->get("released"), C.Released, P))
      return false;
    if (!readRefs(CO->get("maybe-held"), C.MaybeHeld, P))
      return false;
    C.Sequential = CO->getBoolean("seq").value_or(false);
    if (!readStrings(CO->get("running"), C.Running, P.field("running")))
      return false;
    C.InLoop = CO->getBoolean("loop").value_or(false);
    C.OnceOnly = CO->getBoolean("once").value_or(false);
    C.SingleThreaded = CO->getBoolean("single").value_or(false);
    if (const json::Array *Lines = CO->getArray("loop_lines"); Lines && Lines->size() == 2) {
      C.LoopFirstLine = unsigned((*Lines)[0].getAsUINT64().value_or(0));
      C.LoopLastLine = unsigned((*Lines)[1].getAsUINT64().value_or(0));
    }
    if (!readStrings(CO->get("fn_args"), C.FnArgs, P.field("fn_args")))
      return false;
    if (!readFacts(CO->getArray("arg_facts"), C.ArgFacts) ||
        !readFacts(CO->getArray("guards"), C.Guards))
      return false;
    C.ThroughThis = CO->getBoolean("through_this").value_or(false);
    C.Direct = CO->getBoolean("direct").value_or(false);
    if (const json::Array *PA = CO->getArray("param_args"))
      for (const json::Value &V : *PA) {
        if (!V.getAsInteger())
          return false;
        C.ParamArgs.push_back(int(*V.getAsInteger()));
      }
    F.Calls.push_back(std::move(C));
  }
  for (const json::Value &E : *Blocking) {
    const json::Object *BO = E.getAsObject();
    BlockingCall B;
    if (!BO || !BO->getString("what") || !readFrame(BO->get("at"), B.At, P) ||
        !readHeld(BO->get("held"), B.Held, P) || !BO->getArray("releases"))
      return false;
    B.What = BO->getString("what")->str();
    for (const json::Value &R : *BO->getArray("releases")) {
      LockRef L;
      if (!readRef(&R, L, P))
        return false;
      B.Releases.push_back(std::move(L));
    }
    if (!readRefs(BO->get("released"), B.Released, P))
      return false;
    B.TimeoutParam = int(BO->getInteger("timeout_param").value_or(-1));
    F.Blocking.push_back(std::move(B));
  }
  if (const json::Array *Waits = O->getArray("waits"))
    for (const json::Value &E : *Waits) {
      const json::Object *WO = E.getAsObject();
      WaitSite W;
      if (!WO || !WO->getString("kind") || !WO->getInteger("thread") ||
          !WO->getString("what") || !readRef(WO->get("cv"), W.CondVar, P) ||
          !readFrame(WO->get("at"), W.At, P) || !readHeld(WO->get("held"), W.Held, P) ||
          !readRefs(WO->get("releases"), W.Releases, P)) {
        P.report("malformed wait");
        return false;
      }
      W.Kind = parseLockKind(*WO->getString("kind")).value_or(LockKind::CondVar);
      W.Thread = int(*WO->getInteger("thread"));
      W.What = WO->getString("what")->str();
      W.Timed = WO->getBoolean("timed").value_or(false);
      F.Waits.push_back(std::move(W));
    }
  if (const json::Array *Notifies = O->getArray("notifies"))
    for (const json::Value &E : *Notifies) {
      const json::Object *NO = E.getAsObject();
      NotifySite N;
      if (!NO || !readRef(NO->get("cv"), N.CondVar, P) || !readFrame(NO->get("at"), N.At, P) ||
          !readHeld(NO->get("held"), N.Held, P) ||
          !readHeld(NO->get("before"), N.AcquiredBefore, P)) {
        P.report("malformed notify");
        return false;
      }
      F.Notifies.push_back(std::move(N));
    }
  if (const json::Array *Accesses = O->getArray("accesses"))
    for (const json::Value &E : *Accesses) {
      const json::Object *AO = E.getAsObject();
      Access A;
      if (!AO || !readRef(AO->get("var"), A.Var, P) || !readFrame(AO->get("at"), A.At, P) ||
          !readHeld(AO->get("held"), A.Held, P) || !readRefs(AO->get("released"), A.Released, P)) {
        P.report("malformed access");
        return false;
      }
      if (!readRefs(AO->get("maybe-held"), A.MaybeHeld, P))
        return false;
      A.Kind = AO->getBoolean("write").value_or(false) ? AccessKind::Write : AccessKind::Read;
      if (auto G = AO->getString("guard"))
        A.DeclaredGuard = G->str();
      A.Sequential = AO->getBoolean("seq").value_or(false);
      if (!readStrings(AO->get("running"), A.Running, P.field("running")))
        return false;
      if (auto To = AO->getString("address-to"))
        A.AddressTo = To->str();
      if (!readFacts(AO->getArray("guards"), A.Guards))
        return false;
      F.Accesses.push_back(std::move(A));
    }
  if (const json::Array *Spawns = O->getArray("spawns"))
    for (const json::Value &E : *Spawns) {
      const json::Object *SO = E.getAsObject();
      ThreadSpawn T;
      if (!SO || !SO->getString("entry") || !SO->getString("name") ||
          !readFrame(SO->get("at"), T.At, P)) {
        P.report("malformed thread start");
        return false;
      }
      T.Entry = SO->getString("entry")->str();
      T.Name = SO->getString("name")->str();
      T.Repeated = SO->getBoolean("repeated").value_or(false);
      T.PrivateArg = SO->getBoolean("private-arg").value_or(false);
      F.Spawns.push_back(std::move(T));
    }
  if (const json::Array *Lambdas = O->getArray("lambdas"))
    for (const json::Value &E : *Lambdas) {
      const json::Object *LO = E.getAsObject();
      CallSite C;
      if (!LO || !LO->getString("callee") || !LO->getString("name") ||
          !readFrame(LO->get("at"), C.At, P) || !readHeld(LO->get("held"), C.Held, P) ||
          !readRefs(LO->get("released"), C.Released, P) ||
          !readRefs(LO->get("maybe-held"), C.MaybeHeld, P)) {
        P.report("malformed lambda call");
        return false;
      }
      C.Callee = LO->getString("callee")->str();
      C.CalleeName = LO->getString("name")->str();
      if (const json::Value *T = LO->get("this"); T && T->kind() != json::Value::Null) {
        LockRef R;
        if (!readRef(T, R, P))
          return false;
        C.This = std::move(R);
      }
      C.Sequential = LO->getBoolean("seq").value_or(false);
      if (!readStrings(LO->get("running"), C.Running, P.field("running")))
        return false;
      F.LambdaCalls.push_back(std::move(C));
    }
  for (const WaitSite &W : F.Waits)
    if (W.Kind == LockKind::Thread && (W.Thread < 0 || size_t(W.Thread) >= F.Spawns.size())) {
      P.report("wait for a thread not started here");
      return false;
    }
  if (auto Role = O->getInteger("role");
      Role && *Role >= 0 && *Role <= int(FunctionRole::InitFini))
    F.Role = FunctionRole(*Role);
  if (const json::Value *R = O->get("returns-holding");
      R && !readHeld(R, F.ReturnsHolding, P.field("returns-holding")))
    return false;
  if (const json::Value *R = O->get("releases-callers");
      R && !readRefs(R, F.ReleasesCallers, P.field("releases-callers")))
    return false;
  if (const json::Value *R = O->get("hands-over-callers");
      R && !readRefs(R, F.HandsOverCallers, P.field("hands-over-callers")))
    return false;
  F.ReturnsLockResult = O->getBoolean("returns-lock-result").value_or(false);
  if (const json::Value *R = O->get("recursive-inits");
      R && !readRefs(R, F.RecursiveInits, P.field("recursive-inits")))
    return false;
  for (const json::Value &E : *Findings) {
    Finding Fi;
    if (!readFinding(E, Fi, P))
      return false;
    F.Findings.push_back(std::move(Fi));
  }
  if (const json::Array *Unchecked = O->getArray("unchecked-waits"))
    for (const json::Value &E : *Unchecked) {
      Finding Fi;
      if (!readFinding(E, Fi, P))
        return false;
      F.UncheckedWaits.push_back(std::move(Fi));
    }
  return true;
}
} // namespace

Expected<TUSummary> summaryFromJSON(const json::Value &V) {
  json::Path::Root Root("summary");
  TUSummary S;
  const json::Object *O = V.getAsObject();
  auto Fail = [&]() -> Expected<TUSummary> {
    return Root.getError();
  };
  if (!O || O->getString("format") != StringRef("lockgraph-summary")) {
    return createStringError(inconvertibleErrorCode(), "not a lockgraph summary");
  }
  if (O->getInteger("version") != SummaryFormatVersion)
    return createStringError(inconvertibleErrorCode(), "summary format version mismatch");
  json::Path P(Root);
  if (!O->getString("file"))
    return createStringError(inconvertibleErrorCode(), "summary without a file");
  S.File = O->getString("file")->str();
  if (std::optional<StringRef> T = O->getString("target"))
    S.Target = T->str();
  if (!readStrings(O->get("inputs"), S.Inputs, P.field("inputs")) ||
      !readStrings(O->get("main-file-macros"), S.MainFileMacros,
                   P.field("main-file-macros")) ||
      !readStrings(O->get("skipped"), S.Skipped, P.field("skipped")) ||
      !readStrings(O->get("internal-locks"), S.InternalLocks, P.field("internal-locks")) ||
      !readStrings(O->get("external-globals"), S.ExternalGlobals,
                   P.field("external-globals")) ||
      !readStrings(O->get("non-blocking-params"), S.NonBlockingParams,
                   P.field("non-blocking-params")) ||
      !readStrings(O->get("descriptor-hand-offs"), S.DescriptorHandOffs,
                   P.field("descriptor-hand-offs")) ||
      !readStrings(O->get("non-blocking-fields"), S.NonBlockingFields,
                   P.field("non-blocking-fields")) ||
      !readStrings(O->get("descriptor-field-io"), S.DescriptorFieldIo,
                   P.field("descriptor-field-io")))
    return Fail();
  auto ReadPairs = [&](StringLiteral Key, StringLiteral Shape,
                       std::vector<std::pair<std::string, std::string>> &Out) {
    if (const json::Array *Pairs = O->getArray(Key))
      for (const json::Value &T : *Pairs) {
        std::vector<std::string> Pair;
        if (!readStrings(&T, Pair, P.field(Key)) || Pair.size() != 2) {
          P.field(Key).report(Shape);
          return false;
        }
        Out.emplace_back(std::move(Pair[0]), std::move(Pair[1]));
      }
    return true;
  };
  if (!ReadPairs("lock-types", "expected [member, class]", S.LockTypes) ||
      !ReadPairs("field-targets", "expected [callee key, function]", S.FieldTargets) ||
      !ReadPairs("target-flows", "expected [callee key, callee key]", S.TargetFlows) ||
      !ReadPairs("field-out-params", "expected [parameter, field]", S.FieldOutParams))
    return Fail();
  const json::Array *Fns = O->getArray("functions");
  if (!Fns)
    return createStringError(inconvertibleErrorCode(), "summary without functions");
  for (size_t I = 0; I < Fns->size(); ++I) {
    FunctionSummary F;
    if (!readFunction((*Fns)[I], F, P.field("functions").index(I)))
      return Fail();
    S.Functions.push_back(std::move(F));
  }
  return S;
}

} // namespace lockgraph::analyzer
