namespace Trellis.E2e.Tests;

/// <summary>solc-js compiles the test contracts (no chain needed).</summary>
[Collection(EndToEndGroup.Name)]
public sealed class SolcJsTests
{
    [Fact]
    public Task SolcJs_CompilesTheErc20AndEventsContracts() => JsTestRunner.RunAsync("solc.test.mjs", new Dictionary<string, string>());
}
