using System.Collections.Concurrent;
using Trellis.Evm.StateTests;
using Xunit.Abstractions;

namespace Trellis.Conformance.Tests;

/// <summary>
/// ethereum/tests GeneralStateTests under the Cancun rules, one theory case per file: every Cancun case of the file
/// must reach the expected state root and logs hash (or be rejected when the test expects that). Cases that call the
/// KZG point-evaluation precompile are skipped (out of scope) and listed by <see cref="SkippedCases_AreListedByName"/>.
/// </summary>
public class GeneralStateTests(ITestOutputHelper output)
{
    private static readonly string s_root = SharedPaths.Conformance("ethereum-tests", "GeneralStateTests");

    // Results by full path, shared by the per-file theory and the skipped-case listing so the suite runs once.
    private static readonly ConcurrentDictionary<string, IReadOnlyList<StateTestCaseResult>> s_results = new(StringComparer.Ordinal);

    /// <summary>Every test file, relative to GeneralStateTests (short, readable theory case names).</summary>
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in StateTestRunner.FindFiles([s_root]))
        {
            data.Add(Path.GetRelativePath(s_root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_PassesEveryCancunCase(string file)
    {
        var results = Run(Path.Combine(s_root, file));
        var failures = results.Where(r => r.Failed).Select(r => r.Describe()).ToList();
        foreach (var skipped in results.Where(r => r.Skipped))
        {
            output.WriteLine(skipped.Describe());
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {results.Count} cases failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    [Fact]
    public void SkippedCases_AreListedByName()
    {
        var skipped = new List<string>();
        int total = 0;
        foreach (var file in StateTestRunner.FindFiles([s_root]))
        {
            var results = Run(file);
            total += results.Count;
            skipped.AddRange(results.Where(r => r.Skipped).Select(r => r.Describe()));
        }

        output.WriteLine($"{skipped.Count} of {total} Cancun cases skipped (KZG point evaluation, precompile 0x0a):");
        foreach (var line in skipped)
        {
            output.WriteLine(line);
        }

        // The README of the fixtures counts 8,110 Cancun cases; only the KZG ones may be skipped, a small part of them.
        Assert.Equal(8110, total);
        Assert.True(skipped.Count < total / 10, $"{skipped.Count} of {total} cases were skipped");
    }

    private static IReadOnlyList<StateTestCaseResult> Run(string path) =>
        s_results.GetOrAdd(Path.GetFullPath(path), p => new StateTestRunner().RunFile(p));
}
