using System.Globalization;
using System.Text;
using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Sdk.Governance;

namespace Trellis.Cli.Governance;

/// <summary>How governance values read on a terminal.</summary>
internal static class GovFormat
{
    public static string Status(ProposalStatus status) => status switch
    {
        ProposalStatus.Open => "open",
        ProposalStatus.Executed => "executed",
        ProposalStatus.Rejected => "rejected",
        ProposalStatus.Failed => "failed",
        ProposalStatus.Expired => "expired",
        _ => "none",
    };

    public static string Role(RegistryRole role) => role switch
    {
        RegistryRole.Validator => "validator",
        RegistryRole.Observer => "observer",
        RegistryRole.Removed => "removed",
        _ => "none",
    };

    /// <summary>"add-node" for <see cref="ProposalKind.AddNode"/>.</summary>
    public static string Kind(ProposalKind kind)
    {
        string name = kind.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    /// <summary>The decoded propose arguments, for example <c>name="org5", caFingerprint=0x…, admins=[0x…]</c>.</summary>
    public static string Arguments(ProposalInfo proposal)
    {
        IReadOnlyList<object?> values;
        try
        {
            values = proposal.DecodeArguments();
        }
        catch (Exception e) when (e is Trellis.Sdk.Abi.AbiException or ArgumentOutOfRangeException)
        {
            return "payload " + Hex.Encode(proposal.Payload);
        }

        var function = GovernanceAbis.Governance.GetFunction(GovernanceClient.ProposeFunctionOf(proposal.Kind));
        var parts = new List<string>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            parts.Add(function.Inputs[i].Name + "=" + Value(values[i]));
        }

        return string.Join(", ", parts);
    }

    public static string Value(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        byte[] bytes => bytes.Length == 0 ? "0x" : Hex.Encode(bytes),
        bool flag => flag ? "true" : "false",
        object?[] items => "[" + string.Join(", ", items.Select(Value)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
