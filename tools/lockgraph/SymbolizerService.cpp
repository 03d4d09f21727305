//===- SymbolizerService.cpp - One symbolizer for all processes of a run --===//
#include "SymbolizerService.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/raw_socket_stream.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
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

std::string answerSymbolizerQueries(StringRef Queries,
                                    LLVMSymbolizer &Symbolizer) {
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
    Client << answerSymbolizerQueries(Request, Symbolizer);
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
