namespace Trellis.Evm;

/// <summary>The four message-call flavours; they differ in whose storage runs, who the caller is and whether value moves.</summary>
internal enum CallKind
{
    Call,
    CallCode,
    DelegateCall,
    StaticCall,
}
