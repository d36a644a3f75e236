namespace Trellis.E2e.Tests;

/// <summary>
/// One collection for every end-to-end class, so they run one at a time: each starts a chain and Node processes,
/// and Hardhat writes its artifacts into tests/e2e/hardhat, which two runs must not share at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndGroup
{
    public const string Name = "end-to-end";
}
