namespace Trellis.Evm.StateTests;

/// <summary>
/// One named test of a GeneralStateTests file: the pre-state, the block, the transaction variants and the Cancun
/// cases. A test that could not be read carries <see cref="Error"/> and is reported as one failed case.
/// </summary>
/// <param name="File">The file it came from.</param>
/// <param name="Name">The test's name (its key in the file).</param>
/// <param name="Environment">The block (<c>env</c>).</param>
/// <param name="Pre">The accounts before the transaction.</param>
/// <param name="Transaction">The transaction variants.</param>
/// <param name="Cases">The cases under <c>post.Cancun</c> (empty when the test has none).</param>
/// <param name="Error">Why the test is malformed, or null.</param>
public sealed record StateTest(
    string File,
    string Name,
    StateTestEnvironment? Environment,
    IReadOnlyList<StateTestAccount> Pre,
    StateTestTransaction? Transaction,
    IReadOnlyList<StateTestCase> Cases,
    string? Error = null)
{
    /// <summary>A test that could not be read.</summary>
    public static StateTest Malformed(string file, string name, string error) => new(file, name, null, [], null, [], error);
}
