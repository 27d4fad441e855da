#pragma once
// How main() finds and runs the chosen subcommand: each add_*_command()
// registers its options on the CLI11 app and returns the runner.
#include <functional>

#include <CLI/CLI.hpp>

namespace invites::cli {

struct Command {
  CLI::App* app;             // the subcommand; app->parsed() tells whether it was chosen
  std::function<int()> run;  // runs it with the parsed options; returns the exit code
};

}  // namespace invites::cli
