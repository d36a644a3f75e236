using System.CommandLine;
using System.Text.Json;
using Trellis.Evm.StateTests;

namespace Trellis.Cli;

/// <summary><c>trellis evm ...</c>: run the EVM against conformance suites.</summary>
internal static class EvmCommands
{
    // Relaxed escaping keeps "<" and quotes in error texts readable; the output is JSON lines, never embedded in HTML.
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Build(CommandContext context)
    {
        var evm = new Command("evm", "Run the EVM (Cancun rules) against conformance tests.");
        evm.Subcommands.Add(BuildStateTest(context));
        return evm;
    }

    private static Command BuildStateTest(CommandContext context)
    {
        var pathsArgument = new Argument<string[]>("paths")
        {
            Description = "GeneralStateTests files or directories (directories are searched recursively for .json files).",
            Arity = ArgumentArity.OneOrMore,
        };
        var jsonOption = new Option<bool>("--json") { Description = "Print one JSON object per case instead of the FAIL/SKIP lines; the summary goes to standard error." };
        var testOption = new Option<string?>("--test", "-t") { Description = "Run only tests whose name contains this text." };
        var command = new Command("statetest", "Run ethereum/tests GeneralStateTests (post.Cancun cases only). Prints failing and skipped cases and a summary; exit code 0 if nothing failed.")
        {
            pathsArgument, jsonOption, testOption,
        };
        command.SetAction(parse => Run(context, parse.GetValue(pathsArgument)!, parse.GetValue(jsonOption), parse.GetValue(testOption)));
        return command;
    }

    private static int Run(CommandContext context, string[] paths, bool json, string? testFilter)
    {
        IReadOnlyList<string> files;
        try
        {
            files = StateTestRunner.FindFiles(paths);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        var runner = new StateTestRunner();
        int passed = 0, failed = 0, skipped = 0, badFiles = 0;
        foreach (var file in files)
        {
            IReadOnlyList<StateTest> tests;
            try
            {
                tests = StateTestParser.ParseFile(file);
            }
            catch (Exception e) when (e is StateTestFormatException or FileNotFoundException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"error: {e.Message}");
                badFiles++;
                continue;
            }

            foreach (var test in tests)
            {
                if (testFilter is not null && !test.Name.Contains(testFilter, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var result in runner.Run(test))
                {
                    if (result.Skipped)
                    {
                        skipped++;
                    }
                    else if (result.Pass)
                    {
                        passed++;
                    }
                    else
                    {
                        failed++;
                    }

                    if (json)
                    {
                        context.Output.WriteLine(ToJson(result));
                    }
                    else if (!result.Pass)
                    {
                        context.Output.WriteLine(result.Describe());
                    }
                }
            }

            context.Output.Flush();
        }

        string summary = badFiles == 0
            ? $"statetest: {passed} passed, {failed} failed, {skipped} skipped"
            : $"statetest: {passed} passed, {failed} failed, {skipped} skipped ({badFiles} unreadable files)";
        (json ? context.Error : context.Output).WriteLine(summary);
        return failed == 0 && badFiles == 0 ? 0 : 1;
    }

    private static string ToJson(StateTestCaseResult result) => JsonSerializer.Serialize(
        new Dictionary<string, object?>
        {
            ["file"] = result.File,
            ["test"] = result.Test,
            ["fork"] = result.Fork,
            ["indexes"] = new Dictionary<string, int> { ["data"] = result.DataIndex, ["gas"] = result.GasIndex, ["value"] = result.ValueIndex },
            ["pass"] = result.Pass,
            ["skipped"] = result.Skipped,
            ["expectedRoot"] = result.ExpectedRoot?.ToString(),
            ["actualRoot"] = result.ActualRoot?.ToString(),
            ["error"] = result.Error,
        },
        s_json);
}
