namespace Hean.Bybit.Json;

/// <summary>A Bybit message or response that does not have the documented shape.</summary>
public sealed class BybitFormatException(string message) : Exception(message);
