namespace Trellis.E2e.Tests;

/// <summary>ethers v6, web3.js v4 and Hardhat 2 against a Trellis solo node started by the CLI.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class TrellisNodeClientTests(TrellisDevChain chain) : ClientSuite(chain), IClassFixture<TrellisDevChain>;
