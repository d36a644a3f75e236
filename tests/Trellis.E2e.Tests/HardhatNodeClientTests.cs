namespace Trellis.E2e.Tests;

/// <summary>
/// The same JavaScript tests against a Hardhat node: proves the tests themselves are right about Ethereum, so a
/// failure that only <see cref="TrellisNodeClientTests"/> shows is a Trellis difference.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class HardhatNodeClientTests(HardhatDevNode chain) : ClientSuite(chain), IClassFixture<HardhatDevNode>;
