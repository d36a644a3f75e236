using Trellis.Core;

namespace Trellis.Evm.StateTests;

/// <summary>The outcome of one Cancun case of a state test.</summary>
/// <param name="File">The file the test came from.</param>
/// <param name="Test">The test's name.</param>
/// <param name="Fork">The fork whose post-state was checked (always Cancun).</param>
/// <param name="DataIndex"><c>indexes.data</c> (-1 for a test that could not be read).</param>
/// <param name="GasIndex"><c>indexes.gas</c>.</param>
/// <param name="ValueIndex"><c>indexes.value</c>.</param>
/// <param name="Pass">True when the state root and logs matched, or an expected rejection happened.</param>
/// <param name="Skipped">True when the case needs the KZG point-evaluation precompile (out of scope) and does not count.</param>
/// <param name="ExpectedRoot">The root the test expects.</param>
/// <param name="ActualRoot">The root we computed, or null if execution did not get that far.</param>
/// <param name="Error">What went wrong, or for an expected rejection our reason; null for a plain pass.</param>
public sealed record StateTestCaseResult(
    string File,
    string Test,
    string Fork,
    int DataIndex,
    int GasIndex,
    int ValueIndex,
    bool Pass,
    bool Skipped,
    Hash256? ExpectedRoot,
    Hash256? ActualRoot,
    string? Error)
{
    /// <summary>True when the case counts as a failure.</summary>
    public bool Failed => !Pass && !Skipped;

    /// <summary>The case's indexes as printed: <c>[d=0 g=1 v=0]</c>.</summary>
    public string Indexes => $"[d={DataIndex} g={GasIndex} v={ValueIndex}]";

    /// <summary>One line for a report: <c>FAIL file test [d=i g=j v=k] reason</c>, <c>SKIP ...</c> or <c>PASS ...</c>.</summary>
    public string Describe()
    {
        string status = Skipped ? "SKIP" : Pass ? "PASS" : "FAIL";
        return Error is null ? $"{status} {File} {Test} {Indexes}" : $"{status} {File} {Test} {Indexes} {Error}";
    }
}
