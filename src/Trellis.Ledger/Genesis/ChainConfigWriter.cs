using System.Text;
using System.Text.Json;
using Trellis.Core;
using Trellis.Ledger.Governance;

namespace Trellis.Ledger.Genesis;

// Writes the configuration in the format ChainConfigReader reads, big integers as strings, keys in a fixed order.
internal static class ChainConfigWriter
{
    public static string Write(ChainConfig config)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("chainId", config.ChainId);
            writer.WriteString("cryptoSuite", config.Suite.Name);
            writer.WriteStartObject("consensus");
            writer.WriteString("engine", config.Consensus.Engine);
            writer.WriteNumber("blockIntervalMs", config.Consensus.BlockIntervalMs);
            writer.WriteNumber("maxTransactionsPerBlock", config.Consensus.MaxTransactionsPerBlock);
            writer.WriteNumber("viewTimeoutMs", config.Consensus.ViewTimeoutMs);
            writer.WriteEndObject();
            writer.WriteNumber("blockGasLimit", config.BlockGasLimit);
            writer.WriteStartObject("txPool");
            writer.WriteNumber("maxCount", config.TxPool.MaxCount);
            writer.WriteNumber("maxBytes", config.TxPool.MaxBytes);
            writer.WriteNumber("maxTxBytes", config.TxPool.MaxTxBytes);
            writer.WriteEndObject();
            writer.WriteStartObject("alloc");
            foreach (KeyValuePair<Address, GenesisAccount> entry in config.Alloc.OrderBy(e => e.Key))
            {
                writer.WriteStartObject(entry.Key.ToLowerHex());
                writer.WriteString("balance", entry.Value.Balance.ToString());
                writer.WriteNumber("nonce", entry.Value.Nonce);
                if (!entry.Value.Code.IsEmpty)
                {
                    writer.WriteString("code", Hex.Encode(entry.Value.Code.Span));
                }

                if (entry.Value.Storage.Count > 0)
                {
                    writer.WriteStartObject("storage");
                    foreach (KeyValuePair<UInt256, UInt256> slot in entry.Value.Storage.OrderBy(s => s.Key))
                    {
                        writer.WriteString(slot.Key.ToHexString(), slot.Value.ToHexString());
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartArray("members");
            foreach (MemberConfig member in config.Members)
            {
                writer.WriteStartObject();
                writer.WriteString("name", member.Name);
                if (member.CaCertificate is not null)
                {
                    writer.WriteString("caCertificate", member.CaCertificate);
                }

                if (member.Admins.Count > 0)
                {
                    writer.WriteStartArray("admins");
                    foreach (Address admin in member.Admins)
                    {
                        writer.WriteStringValue(admin.ToLowerHex());
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("nodes");
            foreach (NodeConfig node in config.Nodes)
            {
                writer.WriteStartObject();
                writer.WriteString("name", node.Name);
                writer.WriteString("org", node.Org);
                writer.WriteString("role", node.Role == NodeRole.Validator ? "validator" : "observer");
                if (node.PublicKey is not null)
                {
                    writer.WriteString("publicKey", node.PublicKey.ToHex());
                }

                writer.WriteString("address", node.Address.ToLowerHex());
                if (node.TlsCertificateFingerprint is ReadOnlyMemory<byte> fingerprint)
                {
                    writer.WriteString("tlsCertificateFingerprint", Hex.Encode(fingerprint.Span));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("timestamp", config.Timestamp);
            if (config.Permissions.Permissioned || config.Permissions.Accounts.Count > 0)
            {
                writer.WriteStartObject("permissions");
                writer.WriteString("mode", config.Permissions.Permissioned ? "permissioned" : "open");
                writer.WriteStartObject("accounts");
                foreach (KeyValuePair<Address, AccountRights> entry in config.Permissions.Accounts.OrderBy(e => e.Key))
                {
                    writer.WriteStartArray(entry.Key.ToLowerHex());
                    foreach ((AccountRights flag, string name) in new[] { (AccountRights.Transact, "transact"), (AccountRights.Deploy, "deploy"), (AccountRights.Admin, "admin") })
                    {
                        if ((entry.Value & flag) != 0)
                        {
                            writer.WriteStringValue(name);
                        }
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
