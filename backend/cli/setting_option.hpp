#pragma once
// Options the environment can set as well as the command line, and checks
// that run a parser while the command line is read: every option of this
// kind is declared the same way.
#include <cctype>
#include <string>

#include <CLI/CLI.hpp>

namespace invites::cli {

// "--smtp-user" → "INVITES_SMTP_USER": the variable that sets an option.
inline std::string environment_name(const std::string& option) {
  std::string name = "INVITES_";
  for (const char ch : option.substr(option.find_first_not_of('-')))
    name += ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return name;
}

// An option shown as `NAME TYPE` in --help, also read from its environment variable.
template <typename Value>
CLI::Option* add_setting(CLI::App& command, const std::string& name, Value& value, const std::string& description,
                         const std::string& type) {
  return command.add_option(name, value, description)->type_name(type)->envname(environment_name(name));
}

// A setting that names an existing file (shown as FILE).
template <typename Value>
CLI::Option* add_file_setting(CLI::App& command, const std::string& name, Value& value,
                              const std::string& description) {
  return add_setting(command, name, value, description, "FILE")->check(CLI::ExistingFile.description(""));
}

// A flag, also read from its environment variable.
inline CLI::Option* add_setting_flag(CLI::App& command, const std::string& name, bool& value,
                                     const std::string& description) {
  return command.add_flag(name, value, description)->envname(environment_name(name));
}

// A setting whose default --help shows and whose value must lie in [min, max].
template <typename Value, typename Bound>
CLI::Option* add_bounded_setting(CLI::App& command, const std::string& name, Value& value,
                                 const std::string& description, const std::string& type, Bound min, Bound max) {
  return add_setting(command, name, value, description, type)->capture_default_str()->check(CLI::Range(min, max));
}

// A check that runs `parse` on the option's text and reports the Error it throws
// as a usage error (with the parser's own message).
template <typename Error, typename Parse>
CLI::Validator parse_check(Parse parse) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        try {
          parse(text);
          return {};
        } catch (const Error& e) {
          return e.what();
        }
      },
      "");
}

}  // namespace invites::cli
