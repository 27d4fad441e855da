#pragma once
// Runs invites-server (or any program) as a child process for black-box
// tests of the command line and of the HTTP server.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace invites::testing {

// The invites-server binary built with the tests (a compile definition).
std::string invites_server_path();

struct ProcessResult {
  int exit_code;       // 128 + signal number when killed by a signal
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv[0] with the arguments to completion.
ProcessResult run_process(const std::vector<std::string>& argv);

// A started child whose stdout is a pipe to us; its stderr goes to ours, so
// the child's logs show up in the test output. If the test process ends in
// std::terminate, its live children are killed first.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();  // terminate(), ignoring the result
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of the child's stdout, without '\n'. Throws
  // std::runtime_error when the child closes stdout or `timeout` passes.
  std::string read_line(std::chrono::milliseconds timeout);
  // SIGTERM, then wait up to `timeout` (SIGKILL after it). Returns the exit
  // code, or 128 + signal number. Further calls return the same value.
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // SIGKILL (as `kill -9`: no clean-up in the child) and wait.
  int kill_now();
  pid_t pid() const { return pid_; }  // -1 once it exited
  // Sends `signal` (SIGTERM without waiting, SIGSTOP, SIGCONT) and returns at once.
  void send_signal(int signal);
  // Waits up to `timeout` for the child to exit by itself (SIGKILL after
  // it); the exit code as terminate() gives it.
  int wait_for_exit(std::chrono::milliseconds timeout);

 private:
  int end_with(int signal, std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffered_;
  int exit_code_ = -1;
};

}  // namespace invites::testing
