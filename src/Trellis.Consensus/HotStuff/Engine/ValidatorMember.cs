using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff.Engine;

/// <summary>A validator of an epoch: its signing address and public key.</summary>
internal readonly record struct ValidatorMember(Address Address, PublicKey PublicKey);
