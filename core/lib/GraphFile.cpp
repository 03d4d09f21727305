//===- GraphFile.cpp - Lock-graph files (docs/graph-format.md) ------------===//
//
// JSON through nlohmann-json (core has no LLVM, see ARCHITECTURE.md). Every
// read error names the file and the JSON path of the offending value.
//
// Writing: version 2, one element per line, written by hand (no JSON tree
// per element) except for the rare and irregular parts (producer, findings).
// Each distinct frame and each distinct stack is written once, in the
// "frames" and "stacks" tables, and evidence refers to stacks by index: a
// run-time graph has tens of thousands of evidence records but only dozens of
// distinct stacks.
//
// Reading: versions 1 and 2, through nlohmann's SAX parser. Each element of
// the big top-level arrays is built as a small JSON value, checked and added
// to the graph at once, then dropped, so the document never exists as one
// tree. Arrays that arrive before what they refer to (a hand-written file
// with "edges" before "locks") are kept aside and read at the end.
//
//===----------------------------------------------------------------------===//
#include "lockgraph/core/GraphFile.h"
#include "JsonForm.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace lockgraph {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

// ---- writing ---------------------------------------------------------------

/// Appends \p S as a JSON string. Plain printable ASCII is copied; anything
/// else goes through nlohmann, which escapes it and replaces invalid UTF-8
/// (from a binary's symbol table, say) rather than throw.
void appendString(std::string &Out, std::string_view S) {
  bool Plain = true;
  for (char C : S)
    if (static_cast<unsigned char>(C) < 0x20 || static_cast<unsigned char>(C) >= 0x7f ||
        C == '"' || C == '\\') {
      Plain = false;
      break;
    }
  if (Plain) {
    Out += '"';
    Out += S;
    Out += '"';
    return;
  }
  Out += ojson(std::string(S)).dump(-1, ' ', false, ojson::error_handler_t::replace);
}

void appendUnsigned(std::string &Out, uint64_t V) {
  char Buf[24];
  int N = std::snprintf(Buf, sizeof(Buf), "%llu", static_cast<unsigned long long>(V));
  Out.append(Buf, size_t(N));
}

/// A frame in the member order of frameToJson (JsonForm.cpp).
void appendFrame(std::string &Out, const Frame &F) {
  const char *Sep = "";
  Out += '{';
  auto Str = [&](const char *Key, const std::string &V) {
    if (V.empty())
      return;
    Out += Sep;
    Out += '"';
    Out += Key;
    Out += "\": ";
    appendString(Out, V);
    Sep = ", ";
  };
  auto Num = [&](const char *Key, uint64_t V) {
    if (!V)
      return;
    Out += Sep;
    Out += '"';
    Out += Key;
    Out += "\": ";
    appendUnsigned(Out, V);
    Sep = ", ";
  };
  Str("function", F.Function);
  Str("file", F.File);
  Num("line", F.Line);
  Num("column", F.Column);
  Str("module", F.Module);
  Num("offset", F.Offset);
  Out += '}';
}

size_t hashFrame(const Frame &F) {
  std::hash<std::string> H;
  size_t X = H(F.Function);
  X = X * 31 + H(F.File);
  X = X * 31 + H(F.Module);
  X = X * 31 + F.Line;
  X = X * 31 + F.Column;
  X = X * 31 + size_t(F.Offset);
  return X;
}

/// Numbers distinct frames and distinct stacks in order of first use.
class StackTable {
public:
  static constexpr uint32_t None = UINT32_MAX;

  /// The index of \p S in the stacks table; None for an empty stack.
  uint32_t intern(const Stack &S) {
    if (S.empty())
      return None;
    size_t H = S.size();
    std::vector<size_t> FrameHashes;
    FrameHashes.reserve(S.size());
    for (const Frame &F : S) {
      FrameHashes.push_back(hashFrame(F));
      H = H * 1000003 ^ FrameHashes.back();
    }
    auto [It, End] = StackByHash.equal_range(H);
    for (; It != End; ++It)
      if (*Stacks[It->second].Original == S)
        return It->second;
    Entry E;
    E.Original = &S;
    for (size_t I = 0; I < S.size(); ++I)
      E.Frames.push_back(internFrame(S[I], FrameHashes[I]));
    Stacks.push_back(std::move(E));
    uint32_t Id = uint32_t(Stacks.size() - 1);
    StackByHash.emplace(H, Id);
    return Id;
  }

  void writeFrames(std::string &Out) const {
    Out += ",\n\"frames\": [";
    for (size_t I = 0; I < Frames.size(); ++I) {
      Out += I ? ",\n " : "\n ";
      appendFrame(Out, *Frames[I]);
    }
    Out += Frames.empty() ? "]" : "\n]";
  }

  void writeStacks(std::string &Out) const {
    Out += ",\n\"stacks\": [";
    for (size_t I = 0; I < Stacks.size(); ++I) {
      Out += I ? ",\n [" : "\n [";
      const std::vector<uint32_t> &F = Stacks[I].Frames;
      for (size_t K = 0; K < F.size(); ++K) {
        if (K)
          Out += ", ";
        appendUnsigned(Out, F[K]);
      }
      Out += ']';
    }
    Out += Stacks.empty() ? "]" : "\n]";
  }

private:
  uint32_t internFrame(const Frame &F, size_t H) {
    auto [It, End] = FrameByHash.equal_range(H);
    for (; It != End; ++It)
      if (*Frames[It->second] == F)
        return It->second;
    Frames.push_back(&F);
    uint32_t Id = uint32_t(Frames.size() - 1);
    FrameByHash.emplace(H, Id);
    return Id;
  }

  struct Entry {
    const Stack *Original;
    std::vector<uint32_t> Frames;
  };
  std::vector<const Frame *> Frames;
  std::unordered_multimap<size_t, uint32_t> FrameByHash;
  std::vector<Entry> Stacks;
  std::unordered_multimap<size_t, uint32_t> StackByHash;
};

// ---- reading ---------------------------------------------------------------

/// A JSON path, built as a chain on the stack and spelled out only when an
/// error names it ("$.edges[3].evidence[0].thread").
struct JPath {
  const JPath *Parent = nullptr;
  const char *Key = nullptr; ///< member name; nullptr for an array index
  size_t Index = 0;

  JPath member(const char *K) const { return JPath{this, K, 0}; }
  JPath at(size_t I) const { return JPath{this, nullptr, I}; }
  std::string str() const {
    if (!Parent)
      return "$";
    std::string S = Parent->str();
    if (Key)
      return S + "." + Key;
    return S + "[" + std::to_string(Index) + "]";
  }
};
const JPath RootPath;

/// Thrown only inside this file, turned into an Error at the API boundary.
struct FormatError {
  std::string Path;
  std::string What;
};

[[noreturn]] void fail(const JPath &Path, const std::string &What) {
  throw FormatError{Path.str(), What};
}

const json &member(const json &Obj, const char *Key, const JPath &Path,
                   bool Required = true) {
  static const json Null;
  auto It = Obj.find(Key);
  if (It == Obj.end()) {
    if (Required)
      fail(Path, std::string("missing required member \"") + Key + "\"");
    return Null;
  }
  return *It;
}

std::string string(const json &Obj, const char *Key, const JPath &Path,
                   bool Required = false) {
  const json &V = member(Obj, Key, Path, Required);
  if (V.is_null())
    return {};
  if (!V.is_string())
    fail(Path.member(Key), "expected a string");
  return V.get<std::string>();
}

uint64_t unsignedNumber(const json &V, const JPath &Path) {
  if (!V.is_number_unsigned() && !(V.is_number_integer() && V.get<int64_t>() >= 0))
    fail(Path, "expected a non-negative integer");
  return V.get<uint64_t>();
}

uint64_t unsignedNumber(const json &Obj, const char *Key, const JPath &Path,
                        bool Required = false) {
  const json &V = member(Obj, Key, Path, Required);
  if (V.is_null())
    return 0;
  return unsignedNumber(V, Path.member(Key));
}

const json &array(const json &Obj, const char *Key, const JPath &Path,
                  bool Required = false) {
  static const json Empty = json::array();
  const json &V = member(Obj, Key, Path, Required);
  if (V.is_null())
    return Empty;
  if (!V.is_array())
    fail(Path.member(Key), "expected an array");
  return V;
}

void expectObject(const json &V, const JPath &Path) {
  if (!V.is_object())
    fail(Path, "expected an object");
}

Frame frame(const json &V, const JPath &Path) {
  expectObject(V, Path);
  Frame F;
  F.Function = string(V, "function", Path);
  F.File = string(V, "file", Path);
  F.Line = unsigned(unsignedNumber(V, "line", Path));
  F.Column = unsigned(unsignedNumber(V, "column", Path));
  F.Module = string(V, "module", Path);
  F.Offset = unsignedNumber(V, "offset", Path);
  return F;
}

Stack inlineStack(const json &A, const JPath &Path) {
  Stack S;
  S.edit().reserve(A.size());
  for (size_t I = 0; I < A.size(); ++I)
    S.push_back(frame(A[I], Path.at(I)));
  return S;
}

Finding finding(const json &V, const JPath &Path) {
  expectObject(V, Path);
  Finding F;
  F.Check = string(V, "check", Path, /*Required=*/true);
  std::string Level = string(V, "severity", Path);
  F.Level = Level == "error" ? Severity::Error : Severity::Warning;
  F.Message = string(V, "message", Path, /*Required=*/true);
  if (const json &L = member(V, "location", Path, false); !L.is_null())
    F.Location = frame(L, Path.member("location"));
  const json &Notes = array(V, "notes", Path);
  JPath NotesPath = Path.member("notes");
  for (size_t I = 0; I < Notes.size(); ++I) {
    JPath NP = NotesPath.at(I);
    expectObject(Notes[I], NP);
    FindingNote N;
    if (const json &L = member(Notes[I], "location", NP, false); !L.is_null())
      N.Where = frame(L, NP.member("location"));
    N.Message = string(Notes[I], "message", NP, /*Required=*/true);
    F.Notes.push_back(std::move(N));
  }
  const json &Locks = array(V, "locks", Path);
  JPath LocksPath = Path.member("locks");
  for (size_t I = 0; I < Locks.size(); ++I) {
    if (!Locks[I].is_string())
      fail(LocksPath.at(I), "expected a string");
    F.Locks.push_back(Locks[I].get<std::string>());
  }
  F.FingerprintKey = string(V, "fingerprint_key", Path);
  F.SuppressedBy = string(V, "suppressed_by", Path);
  F.Origin = string(V, "origin", Path);
  return F;
}

/// Builds a graph from the top-level members of a graph file, each array
/// element on its own (see the file comment).
class GraphReader {
public:
  /// The top-level arrays read element by element.
  enum Table { Frames, Stacks, Locks, Edges, Findings, NumTables };

  static int tableOf(const std::string &Key) {
    static const char *Names[NumTables] = {"frames", "stacks", "locks", "edges",
                                           "findings"};
    for (int T = 0; T < NumTables; ++T)
      if (Key == Names[T])
        return T;
    return -1;
  }

  /// A top-level member that is not a streamed table.
  void member(const std::string &Key, json &&V) {
    if (int T = tableOf(Key); T >= 0) {
      // A table that is not an array: null reads as empty.
      if (!V.is_null())
        fail(RootPath.member(Key.c_str()), "expected an array");
      startTable(T);
      endTable(T);
    } else if (Key == "threads") {
      JPath P = RootPath.member("threads");
      if (!V.is_array())
        fail(P, "expected an array");
      for (size_t I = 0; I < V.size(); ++I) {
        if (!V[I].is_string())
          fail(P.at(I), "expected a string");
        G.addThread(V[I].get<std::string>());
      }
      ThreadsDone = true;
    } else if (Key == "thread_order") {
      JPath P = RootPath.member("thread_order");
      if (!ThreadsDone)
        fail(P, "comes before \"threads\", whose indexes it uses");
      if (!V.is_array())
        fail(P, "expected an array");
      for (size_t I = 0; I < V.size(); ++I) {
        if (!V[I].is_array() || V[I].size() != 5 || !V[I][4].is_string() ||
            (V[I][4] != "start" && V[I][4] != "join"))
          fail(P.at(I), "expected [from thread, from segment, to thread, to "
                        "segment, \"start\" or \"join\"]");
        ThreadOrder O;
        O.FromThread = threadIndex(V[I][0], P.at(I).at(0));
        O.FromSegment = segment(V[I][1], P.at(I).at(1));
        O.ToThread = threadIndex(V[I][2], P.at(I).at(2));
        O.ToSegment = segment(V[I][3], P.at(I).at(3));
        O.How = V[I][4] == "start" ? ThreadOrder::Start : ThreadOrder::Join;
        G.addThreadOrder(O);
      }
    } else if (Key == "producer") {
      if (!V.is_null()) {
        expectObject(V, RootPath.member("producer"));
        DefaultOrigin = string(V, "origin", RootPath.member("producer"));
      }
      ProducerDone = true;
    } else if (Key == "sampled_out") {
      G.addSampledOut(unsignedNumber(V, RootPath.member("sampled_out")));
    } else if (Key == "reports_dropped") {
      G.addReportsDropped(unsignedNumber(V, RootPath.member("reports_dropped")));
    } else if (Key == "format" || Key == "version") {
      Header[Key] = std::move(V);
    }
    // Unknown members are ignored (forward compatibility).
  }

  /// A table starts: tables that depend on nothing missing start reading.
  void startTable(int T) {
    Seen[T] = true;
    Count[T] = 0;
  }

  /// One element of table \p T.
  void element(int T, json &&V) {
    size_t I = Count[T]++;
    if (ready(T) && Deferred[T].empty())
      read(T, I, V);
    else
      Deferred[T].push_back(std::move(V));
  }

  void endTable(int T) {
    if (ready(T)) {
      flush(T);
      Done[T] = true;
    }
  }

  /// The end of the document: everything deferred is read now.
  LockGraph finish() {
    checkHeader(/*AtEnd=*/true);
    ThreadsDone = ProducerDone = true;
    if (!Seen[Locks])
      fail(RootPath, "missing required member \"locks\"");
    if (!Seen[Edges])
      fail(RootPath, "missing required member \"edges\"");
    for (int T = 0; T < NumTables; ++T) {
      flush(T);
      Done[T] = true;
    }
    return std::move(G);
  }

private:
  bool ready(int T) {
    if (!checkHeader(/*AtEnd=*/false))
      return false;
    switch (T) {
    case Frames:
    case Locks:
      return true;
    case Stacks:
      return Done[Frames];
    case Edges:
      return ThreadsDone && ProducerDone && Done[Locks] &&
             (Version == 1 || Done[Stacks]);
    case Findings:
      return ProducerDone;
    }
    return false;
  }

  /// Validates "format" and "version" once both are known. Returns whether
  /// they are; at the end of the document a missing one is an error.
  bool checkHeader(bool AtEnd) {
    if (Version)
      return true;
    if (!AtEnd && (!Header.contains("format") || !Header.contains("version")))
      return false;
    std::string Format = string(Header, "format", RootPath, /*Required=*/true);
    if (Format != GraphFormatName)
      fail(RootPath.member("format"),
           "not a lockgraph graph file (format is \"" + Format + "\", expected \"" +
               std::string(GraphFormatName) + "\")");
    const json &V = lockgraph::member(Header, "version", RootPath);
    if (!V.is_number_integer())
      fail(RootPath.member("version"), "expected an integer");
    int64_t N = V.get<int64_t>();
    if (N < GraphFormatOldestVersion || N > GraphFormatVersion)
      fail(RootPath.member("version"),
           "unsupported format version " + std::to_string(N) +
               " (this lockgraph reads versions " +
               std::to_string(GraphFormatOldestVersion) + " to " +
               std::to_string(GraphFormatVersion) + ")");
    Version = int(N);
    return true;
  }

  void flush(int T) {
    size_t First = Count[T] - Deferred[T].size();
    for (size_t K = 0; K < Deferred[T].size(); ++K)
      read(T, First + K, Deferred[T][K]);
    Deferred[T].clear();
    Deferred[T].shrink_to_fit();
  }

  static const char *tableName(int T) {
    static const char *Names[NumTables] = {"frames", "stacks", "locks", "edges",
                                           "findings"};
    return Names[T];
  }

  void read(int T, size_t I, const json &V) {
    JPath Table = RootPath.member(tableName(T));
    JPath P = Table.at(I);
    switch (T) {
    case Frames:
      FrameList.push_back(frame(V, P));
      break;
    case Stacks: {
      if (!V.is_array())
        fail(P, "expected an array of frame indexes");
      Stack S;
      S.edit().reserve(V.size());
      for (size_t K = 0; K < V.size(); ++K) {
        uint64_t F = V[K].is_number_unsigned() ? V[K].get<uint64_t>() : UINT64_MAX;
        if (F >= FrameList.size())
          fail(P.at(K), "expected a frame index below " +
                            std::to_string(FrameList.size()));
        S.push_back(FrameList[F]);
      }
      StackList.push_back(std::move(S));
      break;
    }
    case Locks:
      lock(V, P);
      break;
    case Edges:
      edge(V, P);
      break;
    case Findings: {
      Finding F = finding(V, P);
      if (F.Origin.empty())
        F.Origin = DefaultOrigin;
      G.recordedFindings().push_back(std::move(F));
      break;
    }
    }
  }

  void lock(const json &V, const JPath &P) {
    expectObject(V, P);
    Lock L;
    L.Name = string(V, "name", P, /*Required=*/true);
    if (L.Name.empty())
      fail(P.member("name"), "lock name is empty");
    std::string Kind = string(V, "kind", P);
    auto K = parseLockKind(Kind.empty() ? "unknown" : Kind);
    if (!K)
      fail(P.member("kind"), "unknown lock kind \"" + Kind + "\"");
    L.Kind = *K;
    if (const json &D = lockgraph::member(V, "declared", P, false); !D.is_null())
      L.DeclaredAt = frame(D, P.member("declared"));
    L.Class = string(V, "class", P);
    // File ids are positions in "locks"; addLock merges two entries of one
    // name.
    Ids.push_back(G.addLock(L));
  }

  LockId lockRef(const json &Obj, const char *Key, const JPath &P) {
    uint64_t Id = unsignedNumber(Obj, Key, P, /*Required=*/true);
    if (Id >= Ids.size())
      fail(P.member(Key), "lock index " + std::to_string(Id) + " out of range (" +
                              std::to_string(Ids.size()) + " locks)");
    return Ids[Id];
  }

  AcquireMode mode(const json &Obj, const char *Key, const JPath &P) {
    auto It = Obj.find(Key);
    if (It == Obj.end() || It->is_null())
      return AcquireMode::Exclusive;
    const std::string *S = It->get_ptr<const std::string *>();
    auto M = S ? parseAcquireMode(*S) : std::nullopt;
    if (!M)
      fail(P.member(Key), "expected \"exclusive\" or \"shared\"");
    return *M;
  }

  /// A stack: inline (an array of frames, version 1) or an index into the
  /// stacks table (version 2).
  Stack stack(const json &Obj, const char *Key, const JPath &P) {
    auto It = Obj.find(Key);
    if (It == Obj.end() || It->is_null())
      return {};
    if (It->is_array())
      return inlineStack(*It, P.member(Key));
    if (Version >= 2 && It->is_number_unsigned() &&
        It->get<uint64_t>() < StackList.size())
      return StackList[It->get<uint64_t>()];
    if (Version >= 2)
      fail(P.member(Key), "expected a stack index below " +
                              std::to_string(StackList.size()) +
                              " or an array of frames");
    fail(P.member(Key), "expected an array");
  }

  /// An index into the threads read so far.
  ThreadIndex threadIndex(const json &V, const JPath &P) {
    uint64_t Thread = unsignedNumber(V, P);
    if (Thread >= G.threads().size())
      fail(P, "thread index " + std::to_string(Thread) + " out of range (" +
                  std::to_string(G.threads().size()) + " threads)");
    return ThreadIndex(Thread);
  }

  static SegmentIndex segment(const json &V, const JPath &P) {
    uint64_t S = unsignedNumber(V, P);
    if (S >= NoSegment)
      fail(P, "segment " + std::to_string(S) + " out of range");
    return SegmentIndex(S);
  }

  void edge(const json &V, const JPath &P) {
    expectObject(V, P);
    LockId From = lockRef(V, "from", P);
    LockId To = lockRef(V, "to", P);
    const json &Evidence = array(V, "evidence", P, /*Required=*/true);
    JPath EvPath = P.member("evidence");
    for (size_t J = 0; J < Evidence.size(); ++J) {
      JPath EP = EvPath.at(J);
      const json &X = Evidence[J];
      expectObject(X, EP);
      EdgeEvidence E;
      if (const json &T = lockgraph::member(X, "thread", EP, false); !T.is_null())
        E.Thread = threadIndex(T, EP.member("thread"));
      if (const json &S = lockgraph::member(X, "segment", EP, false); !S.is_null())
        E.Segment = segment(S, EP.member("segment"));
      E.FromMode = mode(X, "from_mode", EP);
      E.ToMode = mode(X, "to_mode", EP);
      if (const json &T = lockgraph::member(X, "try", EP, false); !T.is_null()) {
        if (!T.is_boolean())
          fail(EP.member("try"), "expected true or false");
        E.TryAcquire = T.get<bool>();
      }
      if (const json &W = lockgraph::member(X, "held_since_wait", EP, false);
          !W.is_null()) {
        if (!W.is_boolean())
          fail(EP.member("held_since_wait"), "expected true or false");
        E.HeldSinceWait = W.get<bool>();
      }
      if (const json &D = lockgraph::member(X, "joined_thread_done", EP, false);
          !D.is_null()) {
        if (!D.is_boolean())
          fail(EP.member("joined_thread_done"), "expected true or false");
        E.JoinedThreadDone = D.get<bool>();
      }
      const json &Held = array(X, "other_held", EP);
      for (size_t K = 0; K < Held.size(); ++K) {
        if (!Held[K].is_number_unsigned() || Held[K].get<uint64_t>() >= Ids.size())
          fail(EP.member("other_held").at(K),
               "expected a lock index below " + std::to_string(Ids.size()));
        E.OtherHeld.push_back(Ids[Held[K].get<uint64_t>()]);
      }
      E.HeldAt = stack(X, "held_at", EP);
      E.AcquiredAt = stack(X, "acquired_at", EP);
      E.Count = X.contains("count") ? unsignedNumber(X, "count", EP) : 1;
      E.Origin = string(X, "origin", EP);
      if (E.Origin.empty())
        E.Origin = DefaultOrigin;
      G.addEdge(From, To, std::move(E));
    }
  }

  LockGraph G;
  json Header = json::object();
  int Version = 0; ///< 0 until "format" and "version" are checked
  std::string DefaultOrigin;
  bool ThreadsDone = false, ProducerDone = false;
  bool Seen[NumTables] = {}, Done[NumTables] = {};
  size_t Count[NumTables] = {};
  std::vector<json> Deferred[NumTables];
  std::vector<LockId> Ids;
  std::vector<Frame> FrameList;
  std::vector<Stack> StackList;
};

/// nlohmann SAX handler: builds each top-level member (and each element of
/// a streamed table) as a small JSON value and hands it to a GraphReader.
/// The first format error stops the reading but not the syntax check, so
/// that a syntax error (a truncated file) is what gets reported.
class GraphSax {
public:
  explicit GraphSax(GraphReader &R) : R(R) {}

  bool null() { return value(json()); }
  bool boolean(bool V) { return value(json(V)); }
  bool number_integer(json::number_integer_t V) { return value(json(V)); }
  bool number_unsigned(json::number_unsigned_t V) { return value(json(V)); }
  bool number_float(json::number_float_t V, const std::string &) {
    return value(json(V));
  }
  bool string(std::string &V) { return value(json(std::move(V))); }
  bool binary(json::binary_t &V) { return value(json(std::move(V))); }

  bool start_object(std::size_t) {
    switch (M) {
    case Start:
      M = Root;
      return true;
    case Root:
      M = Value;
      break;
    case Skip:
      return true;
    default:
      break;
    }
    Stack.push_back(put(json::object()));
    return true;
  }

  bool key(std::string &K) {
    if (M == Root)
      Key = K;
    else if (M != Skip)
      ObjectMember = &(*Stack.back())[K];
    return true;
  }

  bool end_object() {
    if (M == Root) {
      M = End;
      guard([&] { Graph = R.finish(); });
      return true;
    }
    return endContainer();
  }

  bool start_array(std::size_t) {
    switch (M) {
    case Start:
      skipWith(FormatError{"$", "expected an object"});
      return true;
    case Root:
      Table = GraphReader::tableOf(Key);
      if (Table >= 0) {
        M = Stream;
        guard([&] { R.startTable(Table); });
        return true;
      }
      M = Value;
      break;
    case Skip:
      return true;
    default:
      break;
    }
    Stack.push_back(put(json::array()));
    return true;
  }

  bool end_array() {
    if (M == Stream && Stack.empty()) {
      M = Root;
      guard([&] { R.endTable(Table); });
      return true;
    }
    return endContainer();
  }

  bool parse_error(std::size_t Position, const std::string &,
                   const nlohmann::detail::exception &E) {
    SyntaxError = true;
    SyntaxPosition = Position;
    SyntaxMessage = E.what();
    return false;
  }

  bool SyntaxError = false;
  size_t SyntaxPosition = 0;
  std::string SyntaxMessage;
  std::optional<FormatError> Failed;
  std::optional<std::string> JsonFailed; ///< a json::exception while reading
  std::optional<LockGraph> Graph;

private:
  enum Mode { Start, Root, Value, Stream, End, Skip };

  template <typename Fn> void guard(Fn F) {
    try {
      F();
    } catch (const FormatError &E) {
      skipWith(E);
    } catch (const json::exception &E) {
      JsonFailed = E.what();
      M = Skip;
    }
  }
  void skipWith(const FormatError &E) {
    Failed = E;
    M = Skip;
  }

  /// Stores a new value where the builder is, returns where it went.
  json *put(json &&V) {
    if (Stack.empty()) {
      Current = std::move(V);
      return &Current;
    }
    json &Top = *Stack.back();
    if (Top.is_array()) {
      Top.push_back(std::move(V));
      return &Top.back();
    }
    *ObjectMember = std::move(V);
    return ObjectMember;
  }

  bool value(json &&V) {
    switch (M) {
    case Start:
      skipWith(FormatError{"$", "expected an object"});
      return true;
    case Skip:
    case End:
      return true;
    case Root:
      put(std::move(V));
      guard([&] { R.member(Key, std::move(Current)); });
      return true;
    default:
      put(std::move(V));
      if (Stack.empty())
        complete();
      return true;
    }
  }

  bool endContainer() {
    if (M == Skip)
      return true;
    Stack.pop_back();
    if (Stack.empty())
      complete();
    return true;
  }

  /// The value being built is complete.
  void complete() {
    if (M == Value) {
      M = Root;
      guard([&] { R.member(Key, std::move(Current)); });
    } else if (M == Stream) {
      guard([&] { R.element(Table, std::move(Current)); });
    }
  }

  GraphReader &R;
  Mode M = Start;
  std::string Key;
  int Table = -1;
  std::vector<json *> Stack;
  json *ObjectMember = nullptr;
  json Current;
};

/// Line and column (1-based) of byte \p Offset in \p Text.
std::pair<size_t, size_t> lineAndColumn(std::string_view Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  size_t Line = 1, LineStart = 0;
  for (size_t I = 0; I < Offset; ++I)
    if (Text[I] == '\n') {
      ++Line;
      LineStart = I + 1;
    }
  return {Line, Offset - LineStart + 1};
}

} // namespace

Result<LockGraph> parseGraph(std::string_view Text, std::string_view SourceName) {
  std::string Name(SourceName);
  if (Text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Error{Name + ": empty file, expected a lockgraph graph (JSON)"};
  GraphReader Reader;
  GraphSax Sax(Reader);
  try {
    json::sax_parse(Text.data(), Text.data() + Text.size(), &Sax);
  } catch (const json::exception &E) {
    return Error{Name + ": invalid graph: " + std::string(E.what())};
  }
  if (Sax.SyntaxError) {
    // nlohmann reports the byte just past the problem; a truncated file ends
    // "unexpectedly", which deserves to be named as such.
    if (Sax.SyntaxPosition >= Text.size())
      return Error{Name + ": truncated or incomplete JSON: input ends before "
                          "the graph is complete"};
    auto [Line, Col] =
        lineAndColumn(Text, Sax.SyntaxPosition ? Sax.SyntaxPosition - 1 : 0);
    std::string What = Sax.SyntaxMessage;
    if (auto Pos = What.find("syntax error"); Pos != std::string::npos)
      What = What.substr(Pos);
    return Error{Name + ":" + std::to_string(Line) + ":" + std::to_string(Col) +
                 ": malformed JSON: " + What};
  }
  if (Sax.Failed)
    return Error{Name + ": " + Sax.Failed->Path + ": " + Sax.Failed->What};
  if (Sax.JsonFailed)
    return Error{Name + ": invalid graph: " + *Sax.JsonFailed};
  if (!Sax.Graph)
    return Error{Name + ": $: expected an object"};
  return std::move(*Sax.Graph);
}

Result<LockGraph> readGraphFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return Error{Path + ": cannot open: " + std::strerror(errno)};
  std::stringstream Buffer;
  Buffer << In.rdbuf();
  if (In.bad())
    return Error{Path + ": read error: " + std::strerror(errno)};
  return parseGraph(Buffer.str(), Path);
}

std::string serializeGraph(const LockGraph &G, const GraphProducer &P,
                           const StackResolver &Resolve) {
  // One document, written one element per line: each frame, stack, lock,
  // edge and finding is its own line, so the file stays greppable line by
  // line. Members equal to their documented default are left out.
  StackTable Table;
  std::unordered_map<const Stack *, uint32_t> Resolved;
  auto intern = [&](const Stack &Raw) {
    if (!Resolve)
      return Table.intern(Raw);
    const Stack &S = Resolve(Raw);
    auto [It, New] = Resolved.try_emplace(&S, 0);
    if (New)
      It->second = Table.intern(S);
    return It->second;
  };
  std::vector<uint32_t> StackIds; // held_at, acquired_at of each evidence
  for (const Edge &E : G.edges())
    for (const EdgeEvidence &V : E.Evidence) {
      StackIds.push_back(intern(V.HeldAt));
      StackIds.push_back(intern(V.AcquiredAt));
    }

  std::string Out;
  auto dump = [&Out](const ojson &J) {
    Out += J.dump(-1, ' ', false, ojson::error_handler_t::replace);
  };
  auto list = [&Out](const char *Key, size_t Count, auto &&Element) {
    Out += ",\n\"";
    Out += Key;
    Out += "\": [";
    for (size_t I = 0; I < Count; ++I) {
      Out += I ? ",\n " : "\n ";
      Element(I);
    }
    Out += Count ? "\n]" : "]";
  };

  ojson Producer = ojson::object();
  if (!P.Tool.empty())
    Producer["tool"] = P.Tool;
  if (!P.Origin.empty())
    Producer["origin"] = P.Origin;
  if (!P.Command.empty())
    Producer["command"] = P.Command;
  if (P.Pid)
    Producer["pid"] = P.Pid;
  Out += "{\"format\": ";
  appendString(Out, GraphFormatName);
  Out += ",\n\"version\": " + std::to_string(GraphFormatVersion) + ",\n\"producer\": ";
  dump(Producer);
  if (G.sampledOut()) {
    Out += ",\n\"sampled_out\": ";
    appendUnsigned(Out, G.sampledOut());
  }
  if (G.reportsDropped()) {
    Out += ",\n\"reports_dropped\": ";
    appendUnsigned(Out, G.reportsDropped());
  }
  Out += ",\n\"threads\": ";
  dump(G.threads());
  if (!G.threadOrders().empty()) {
    Out += ",\n\"thread_order\": [";
    for (size_t I = 0; I < G.threadOrders().size(); ++I) {
      const ThreadOrder &O = G.threadOrders()[I];
      Out += I ? ", [" : "[";
      appendUnsigned(Out, O.FromThread);
      Out += ", ";
      appendUnsigned(Out, O.FromSegment);
      Out += ", ";
      appendUnsigned(Out, O.ToThread);
      Out += ", ";
      appendUnsigned(Out, O.ToSegment);
      Out += O.How == ThreadOrder::Start ? ", \"start\"]" : ", \"join\"]";
    }
    Out += ']';
  }
  Table.writeFrames(Out);
  Table.writeStacks(Out);

  list("locks", G.locks().size(), [&](size_t I) {
    const Lock &L = G.locks()[I];
    Out += "{\"name\": ";
    appendString(Out, L.Name);
    Out += ", \"kind\": ";
    appendString(Out, toString(L.Kind));
    if (L.DeclaredAt != Frame{}) {
      Out += ", \"declared\": ";
      appendFrame(Out, L.DeclaredAt);
    }
    if (!L.Class.empty()) {
      Out += ", \"class\": ";
      appendString(Out, L.Class);
    }
    Out += '}';
  });
  size_t NextStack = 0;
  list("edges", G.edges().size(), [&](size_t I) {
    const Edge &E = G.edges()[I];
    Out += "{\"from\": ";
    appendUnsigned(Out, E.From);
    Out += ", \"to\": ";
    appendUnsigned(Out, E.To);
    Out += ", \"evidence\": [";
    for (size_t K = 0; K < E.Evidence.size(); ++K) {
      const EdgeEvidence &V = E.Evidence[K];
      Out += K ? ", {\"count\": " : "{\"count\": ";
      appendUnsigned(Out, V.Count);
      if (V.FromMode != AcquireMode::Exclusive)
        Out += ", \"from_mode\": \"" + std::string(toString(V.FromMode)) + "\"";
      if (V.ToMode != AcquireMode::Exclusive)
        Out += ", \"to_mode\": \"" + std::string(toString(V.ToMode)) + "\"";
      if (V.TryAcquire)
        Out += ", \"try\": true";
      if (V.HeldSinceWait)
        Out += ", \"held_since_wait\": true";
      if (V.JoinedThreadDone)
        Out += ", \"joined_thread_done\": true";
      if (!V.OtherHeld.empty()) {
        Out += ", \"other_held\": [";
        for (size_t H = 0; H < V.OtherHeld.size(); ++H) {
          if (H)
            Out += ", ";
          appendUnsigned(Out, V.OtherHeld[H]);
        }
        Out += ']';
      }
      uint32_t Held = StackIds[NextStack++], Acquired = StackIds[NextStack++];
      if (Held != StackTable::None) {
        Out += ", \"held_at\": ";
        appendUnsigned(Out, Held);
      }
      if (Acquired != StackTable::None) {
        Out += ", \"acquired_at\": ";
        appendUnsigned(Out, Acquired);
      }
      if (V.Thread != NoThread) {
        Out += ", \"thread\": ";
        appendUnsigned(Out, V.Thread);
      }
      if (V.Segment != NoSegment) {
        Out += ", \"segment\": ";
        appendUnsigned(Out, V.Segment);
      }
      // Evidence without an origin takes the producer's when read back.
      if (!V.Origin.empty() && V.Origin != P.Origin) {
        Out += ", \"origin\": ";
        appendString(Out, V.Origin);
      }
      Out += '}';
    }
    Out += "]}";
  });
  list("findings", G.recordedFindings().size(),
       [&](size_t I) { dump(findingToJson(G.recordedFindings()[I])); });
  Out += "\n}\n";
  return Out;
}

namespace {
/// Writes \p Text to a new temporary file next to \p Path (created
/// exclusively, never through a symlink) and returns its name.
Result<std::string> writeTemporaryNextTo(const std::string &Path,
                                         const std::string &Text) {
  std::random_device Seed;
  std::string Temp;
  int Fd = -1;
  for (int Attempt = 0; Attempt < 16 && Fd < 0; ++Attempt) {
    Temp = Path + ".tmp." + std::to_string(::getpid()) + "." +
           std::to_string(Seed() & 0xffffff);
    // O_EXCL|O_NOFOLLOW: never write through a symlink someone planted.
    Fd = ::open(Temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                0644);
    if (Fd < 0 && errno != EEXIST)
      return Error{Temp + ": cannot create: " + std::strerror(errno)};
  }
  if (Fd < 0)
    return Error{Path + ": cannot create a temporary file next to it"};
  size_t Written = 0;
  while (Written < Text.size()) {
    ssize_t N = ::write(Fd, Text.data() + Written, Text.size() - Written);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0) {
      std::string Why = std::strerror(errno);
      ::close(Fd);
      ::unlink(Temp.c_str());
      return Error{Temp + ": write failed: " + Why};
    }
    Written += size_t(N);
  }
  if (::close(Fd) != 0) {
    std::string Why = std::strerror(errno);
    ::unlink(Temp.c_str());
    return Error{Temp + ": close failed: " + Why};
  }
  return Temp;
}
} // namespace

Status writeGraphFileAtomic(const LockGraph &G, const std::string &Path,
                            const GraphProducer &P, const StackResolver &Resolve) {
  Result<std::string> Temp =
      writeTemporaryNextTo(Path, serializeGraph(G, P, Resolve));
  if (!Temp.ok())
    return Temp.error();
  if (::rename(Temp->c_str(), Path.c_str()) != 0) {
    std::string Why = std::strerror(errno);
    ::unlink(Temp->c_str());
    return Error{Path + ": cannot rename the temporary file into place: " + Why};
  }
  return success();
}

Result<std::string> writeNewGraphFile(const LockGraph &G, const std::string &Stem,
                                      const GraphProducer &P,
                                      const StackResolver &Resolve) {
  const std::string First = Stem + ".json";
  Result<std::string> Temp =
      writeTemporaryNextTo(First, serializeGraph(G, P, Resolve));
  if (!Temp.ok())
    return Temp.error();
  // link() fails rather than replace an existing file, and is atomic.
  for (unsigned N = 1; N <= 1000; ++N) {
    std::string Path = N == 1 ? First : Stem + "." + std::to_string(N) + ".json";
    if (::link(Temp->c_str(), Path.c_str()) == 0) {
      ::unlink(Temp->c_str());
      return Path;
    }
    if (errno != EEXIST) {
      std::string Why = std::strerror(errno);
      ::unlink(Temp->c_str());
      return Error{Path + ": cannot link the temporary file into place: " + Why};
    }
  }
  ::unlink(Temp->c_str());
  return Error{First + ": 1000 files of that name exist already"};
}

} // namespace lockgraph
