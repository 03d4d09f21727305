//===- GraphFile.cpp - Lock-graph files (docs/graph-format.md) ------------===//
//
// JSON through nlohmann-json (core has no LLVM, see ARCHITECTURE.md). Every
// read error names the file and the JSON path of the offending value.
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
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace lockgraph {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

// ---- writing ---------------------------------------------------------------

// ---- reading ---------------------------------------------------------------

/// Thrown only inside this file, turned into an Error at the API boundary.
struct FormatError {
  std::string Path;
  std::string What;
};

class Reader {
public:
  explicit Reader(std::string_view Source) : Source(Source) {}

  const json &member(const json &Obj, const char *Key, const std::string &Path,
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

  std::string string(const json &Obj, const char *Key, const std::string &Path,
                     bool Required = false) {
    const json &V = member(Obj, Key, Path, Required);
    if (V.is_null())
      return {};
    if (!V.is_string())
      fail(Path + "." + Key, "expected a string");
    return V.get<std::string>();
  }

  uint64_t unsignedNumber(const json &Obj, const char *Key,
                          const std::string &Path, bool Required = false) {
    const json &V = member(Obj, Key, Path, Required);
    if (V.is_null())
      return 0;
    if (!V.is_number_unsigned() && !(V.is_number_integer() && V.get<int64_t>() >= 0))
      fail(Path + "." + Key, "expected a non-negative integer");
    return V.get<uint64_t>();
  }

  const json &array(const json &Obj, const char *Key, const std::string &Path,
                    bool Required = false) {
    static const json Empty = json::array();
    const json &V = member(Obj, Key, Path, Required);
    if (V.is_null())
      return Empty;
    if (!V.is_array())
      fail(Path + "." + Key, "expected an array");
    return V;
  }

  void expectObject(const json &V, const std::string &Path) {
    if (!V.is_object())
      fail(Path, "expected an object");
  }

  Frame frame(const json &V, const std::string &Path) {
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

  Stack stack(const json &Obj, const char *Key, const std::string &Path) {
    Stack S;
    const json &A = array(Obj, Key, Path);
    for (size_t I = 0; I < A.size(); ++I)
      S.push_back(frame(A[I], Path + "." + Key + "[" + std::to_string(I) + "]"));
    return S;
  }

  Finding finding(const json &V, const std::string &Path) {
    expectObject(V, Path);
    Finding F;
    F.Check = string(V, "check", Path, /*Required=*/true);
    std::string Level = string(V, "severity", Path);
    F.Level = Level == "error" ? Severity::Error : Severity::Warning;
    F.Message = string(V, "message", Path, /*Required=*/true);
    if (const json &L = member(V, "location", Path, false); !L.is_null())
      F.Location = frame(L, Path + ".location");
    const json &Notes = array(V, "notes", Path);
    for (size_t I = 0; I < Notes.size(); ++I) {
      std::string NP = Path + ".notes[" + std::to_string(I) + "]";
      expectObject(Notes[I], NP);
      FindingNote N;
      if (const json &L = member(Notes[I], "location", NP, false); !L.is_null())
        N.Where = frame(L, NP + ".location");
      N.Message = string(Notes[I], "message", NP, /*Required=*/true);
      F.Notes.push_back(std::move(N));
    }
    const json &Locks = array(V, "locks", Path);
    for (size_t I = 0; I < Locks.size(); ++I) {
      if (!Locks[I].is_string())
        fail(Path + ".locks[" + std::to_string(I) + "]", "expected a string");
      F.Locks.push_back(Locks[I].get<std::string>());
    }
    F.FingerprintKey = string(V, "fingerprint_key", Path);
    F.SuppressedBy = string(V, "suppressed_by", Path);
    F.Origin = string(V, "origin", Path);
    return F;
  }

  LockGraph graph(const json &Root) {
    expectObject(Root, "$");
    std::string Format = string(Root, "format", "$", /*Required=*/true);
    if (Format != GraphFormatName)
      fail("$.format", "not a lockgraph graph file (format is \"" + Format +
                           "\", expected \"" + std::string(GraphFormatName) +
                           "\")");
    const json &Version = member(Root, "version", "$");
    if (!Version.is_number_integer())
      fail("$.version", "expected an integer");
    if (Version.get<int64_t>() != GraphFormatVersion)
      fail("$.version", "unsupported format version " +
                            std::to_string(Version.get<int64_t>()) +
                            " (this lockgraph reads version " +
                            std::to_string(GraphFormatVersion) + ")");

    LockGraph G;
    std::string DefaultOrigin;
    if (const json &P = member(Root, "producer", "$", false); !P.is_null()) {
      expectObject(P, "$.producer");
      DefaultOrigin = string(P, "origin", "$.producer");
    }

    const json &Threads = array(Root, "threads", "$");
    for (size_t I = 0; I < Threads.size(); ++I) {
      if (!Threads[I].is_string())
        fail("$.threads[" + std::to_string(I) + "]", "expected a string");
      G.addThread(Threads[I].get<std::string>());
    }

    // File ids are positions in "locks"; map them through addLock, which
    // merges two entries of one name.
    std::vector<LockId> Ids;
    const json &Locks = array(Root, "locks", "$", /*Required=*/true);
    for (size_t I = 0; I < Locks.size(); ++I) {
      std::string P = "$.locks[" + std::to_string(I) + "]";
      expectObject(Locks[I], P);
      Lock L;
      L.Name = string(Locks[I], "name", P, /*Required=*/true);
      if (L.Name.empty())
        fail(P + ".name", "lock name is empty");
      std::string Kind = string(Locks[I], "kind", P);
      auto K = parseLockKind(Kind.empty() ? "unknown" : Kind);
      if (!K)
        fail(P + ".kind", "unknown lock kind \"" + Kind + "\"");
      L.Kind = *K;
      if (const json &D = member(Locks[I], "declared", P, false); !D.is_null())
        L.DeclaredAt = frame(D, P + ".declared");
      Ids.push_back(G.addLock(L));
    }

    auto lockRef = [&](const json &Obj, const char *Key, const std::string &P) {
      uint64_t Id = unsignedNumber(Obj, Key, P, /*Required=*/true);
      if (Id >= Ids.size())
        fail(P + "." + Key, "lock index " + std::to_string(Id) +
                                " out of range (" + std::to_string(Ids.size()) +
                                " locks)");
      return Ids[Id];
    };
    auto mode = [&](const json &Obj, const char *Key, const std::string &P) {
      std::string S = string(Obj, Key, P);
      auto M = parseAcquireMode(S.empty() ? "exclusive" : S);
      if (!M)
        fail(P + "." + Key, "expected \"exclusive\" or \"shared\"");
      return *M;
    };

    const json &Edges = array(Root, "edges", "$", /*Required=*/true);
    for (size_t I = 0; I < Edges.size(); ++I) {
      std::string P = "$.edges[" + std::to_string(I) + "]";
      expectObject(Edges[I], P);
      LockId From = lockRef(Edges[I], "from", P);
      LockId To = lockRef(Edges[I], "to", P);
      const json &Evidence = array(Edges[I], "evidence", P, /*Required=*/true);
      for (size_t J = 0; J < Evidence.size(); ++J) {
        std::string EP = P + ".evidence[" + std::to_string(J) + "]";
        const json &V = Evidence[J];
        expectObject(V, EP);
        EdgeEvidence E;
        if (const json &T = member(V, "thread", EP, false); !T.is_null()) {
          uint64_t Thread = unsignedNumber(V, "thread", EP);
          if (Thread >= G.threads().size())
            fail(EP + ".thread", "thread index " + std::to_string(Thread) +
                                     " out of range (" +
                                     std::to_string(G.threads().size()) +
                                     " threads)");
          E.Thread = ThreadIndex(Thread);
        }
        E.FromMode = mode(V, "from_mode", EP);
        E.ToMode = mode(V, "to_mode", EP);
        if (const json &T = member(V, "try", EP, false); !T.is_null()) {
          if (!T.is_boolean())
            fail(EP + ".try", "expected true or false");
          E.TryAcquire = T.get<bool>();
        }
        const json &Held = array(V, "other_held", EP);
        for (size_t K = 0; K < Held.size(); ++K) {
          std::string HP = EP + ".other_held[" + std::to_string(K) + "]";
          if (!Held[K].is_number_unsigned() || Held[K].get<uint64_t>() >= Ids.size())
            fail(HP, "expected a lock index below " + std::to_string(Ids.size()));
          E.OtherHeld.push_back(Ids[Held[K].get<uint64_t>()]);
        }
        E.HeldAt = stack(V, "held_at", EP);
        E.AcquiredAt = stack(V, "acquired_at", EP);
        E.Count = V.contains("count") ? unsignedNumber(V, "count", EP) : 1;
        E.Origin = string(V, "origin", EP);
        if (E.Origin.empty())
          E.Origin = DefaultOrigin;
        G.addEdge(From, To, std::move(E));
      }
    }

    const json &Findings = array(Root, "findings", "$");
    for (size_t I = 0; I < Findings.size(); ++I) {
      Finding F = finding(Findings[I], "$.findings[" + std::to_string(I) + "]");
      if (F.Origin.empty())
        F.Origin = DefaultOrigin;
      G.recordedFindings().push_back(std::move(F));
    }
    return G;
  }

  [[noreturn]] void fail(const std::string &Path, const std::string &What) {
    throw FormatError{Path, What};
  }

private:
  std::string_view Source;
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
  json Root;
  try {
    Root = json::parse(Text);
  } catch (const json::parse_error &E) {
    // nlohmann reports the byte just past the problem; a truncated file ends
    // "unexpectedly", which deserves to be named as such.
    if (E.byte >= Text.size())
      return Error{Name + ": truncated or incomplete JSON: input ends before "
                          "the graph is complete"};
    auto [Line, Col] = lineAndColumn(Text, E.byte ? E.byte - 1 : 0);
    std::string What = E.what();
    if (auto Pos = What.find("syntax error"); Pos != std::string::npos)
      What = What.substr(Pos);
    return Error{Name + ":" + std::to_string(Line) + ":" + std::to_string(Col) +
                 ": malformed JSON: " + What};
  }
  try {
    Reader R(Text);
    return R.graph(Root);
  } catch (const FormatError &E) {
    return Error{Name + ": " + E.Path + ": " + E.What};
  } catch (const json::exception &E) {
    return Error{Name + ": invalid graph: " + std::string(E.what())};
  }
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

std::string serializeGraph(const LockGraph &G, const GraphProducer &P) {
  // One document, written one element per line: each lock, edge and finding
  // is its own small JSON value, so a million-edge graph never exists twice
  // in memory, and the file stays greppable line by line.
  std::string Out;
  auto dump = [&Out](const ojson &J) {
    // Replace invalid UTF-8 (from a binary's symbol table, say) rather than throw.
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
  dump(std::string(GraphFormatName));
  Out += ",\n\"version\": " + std::to_string(GraphFormatVersion) + ",\n\"producer\": ";
  dump(Producer);
  Out += ",\n\"threads\": ";
  dump(G.threads());

  list("locks", G.locks().size(), [&](size_t I) {
    const Lock &L = G.locks()[I];
    ojson J = {{"name", L.Name}, {"kind", std::string(toString(L.Kind))}};
    if (L.DeclaredAt != Frame{})
      J["declared"] = frameToJson(L.DeclaredAt);
    dump(J);
  });
  list("edges", G.edges().size(), [&](size_t I) {
    const Edge &E = G.edges()[I];
    ojson Evidence = ojson::array();
    for (const EdgeEvidence &V : E.Evidence) {
      ojson J = {{"count", V.Count},
                 {"from_mode", std::string(toString(V.FromMode))},
                 {"to_mode", std::string(toString(V.ToMode))},
                 {"try", V.TryAcquire},
                 {"other_held", V.OtherHeld},
                 {"held_at", stackToJson(V.HeldAt)},
                 {"acquired_at", stackToJson(V.AcquiredAt)}};
      if (V.Thread != NoThread)
        J["thread"] = V.Thread;
      if (!V.Origin.empty())
        J["origin"] = V.Origin;
      Evidence.push_back(std::move(J));
    }
    dump({{"from", E.From}, {"to", E.To}, {"evidence", std::move(Evidence)}});
  });
  list("findings", G.recordedFindings().size(),
       [&](size_t I) { dump(findingToJson(G.recordedFindings()[I])); });
  Out += "\n}\n";
  return Out;
}

Status writeGraphFileAtomic(const LockGraph &G, const std::string &Path,
                            const GraphProducer &P) {
  std::string Text = serializeGraph(G, P);
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
  if (::rename(Temp.c_str(), Path.c_str()) != 0) {
    std::string Why = std::strerror(errno);
    ::unlink(Temp.c_str());
    return Error{Path + ": cannot rename the temporary file into place: " + Why};
  }
  return success();
}

} // namespace lockgraph
