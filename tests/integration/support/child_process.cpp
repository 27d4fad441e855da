#include "support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace invites::testing {
namespace {

using Clock = std::chrono::steady_clock;

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

// Spawns argv with stdout (and stderr too when merge_stderr) on a new pipe;
// returns the pid and the pipe's read end.
pid_t spawn_with_stdout_pipe(const std::vector<std::string>& argv, bool merge_stderr, int& read_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  if (merge_stderr) posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (error != 0) {
    close(fds[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
  }
  read_fd = fds[0];
  return pid;
}

// Children not yet waited for. A test process that ends in std::terminate
// (an uncaught exception: no destructor runs) kills them first, instead of
// leaving servers that hold ports, databases and CTest's output pipe (CTest
// then waits for its timeout).
std::mutex live_children_mutex;
std::set<pid_t> live_children;
std::terminate_handler earlier_terminate_handler = nullptr;
std::once_flag terminate_handler_installed;

[[noreturn]] void kill_live_children_then_terminate() {
  // Without waiting for the lock: the thread that holds it may be the one terminating.
  const std::unique_lock lock(live_children_mutex, std::try_to_lock);
  for (const pid_t pid : live_children) kill(pid, SIGKILL);
  if (earlier_terminate_handler) earlier_terminate_handler();
  std::abort();
}

void track_child(pid_t pid) {
  std::call_once(terminate_handler_installed,
                 [] { earlier_terminate_handler = std::set_terminate(kill_live_children_then_terminate); });
  const std::lock_guard lock(live_children_mutex);
  live_children.insert(pid);
}

void forget_child(pid_t pid) {
  const std::lock_guard lock(live_children_mutex);
  live_children.erase(pid);
}

}  // namespace

std::string invites_server_path() { return INVITES_SERVER_EXE; }

ProcessResult run_process(const std::vector<std::string>& argv) {
  int fd = -1;
  const pid_t pid = spawn_with_stdout_pipe(argv, true, fd);
  ProcessResult result{0, {}};
  char chunk[4096];
  for (;;) {
    const auto count = read(fd, chunk, sizeof chunk);
    if (count > 0) {
      result.output.append(chunk, static_cast<std::size_t>(count));
    } else if (count == 0 || errno != EINTR) {
      break;
    }
  }
  close(fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = exit_code_of(status);
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
  pid_ = spawn_with_stdout_pipe(argv, false, stdout_fd_);
  track_child(pid_);
}

ChildProcess::~ChildProcess() { terminate(); }

std::string ChildProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (const auto newline = buffered_.find('\n'); newline != std::string::npos) {
      std::string line = buffered_.substr(0, newline);
      buffered_.erase(0, newline + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) throw std::runtime_error("timed out waiting for a line from the child process");
    pollfd waiting{stdout_fd_, POLLIN, 0};
    if (poll(&waiting, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[1024];
    const auto count = read(stdout_fd_, chunk, sizeof chunk);
    if (count == 0) throw std::runtime_error("the child process closed its stdout (did it exit?)");
    if (count > 0) buffered_.append(chunk, static_cast<std::size_t>(count));
  }
}

int ChildProcess::terminate(std::chrono::milliseconds timeout) { return end_with(SIGTERM, timeout); }

int ChildProcess::kill_now() { return end_with(SIGKILL, std::chrono::seconds(10)); }

void ChildProcess::send_signal(int signal) {
  if (pid_ >= 0) kill(pid_, signal);
}

int ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) { return end_with(0, timeout); }

int ChildProcess::end_with(int signal, std::chrono::milliseconds timeout) {
  if (pid_ < 0) return exit_code_;
  if (signal != 0) kill(pid_, signal);
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (done < 0 && errno != EINTR) break;
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  exit_code_ = exit_code_of(status);
  forget_child(pid_);
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  return exit_code_;
}

}  // namespace invites::testing
