using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using Akka.Persistence;

namespace Hean.Persistence.Redis;

/// <summary>
/// One journal entry as stored in Redis: the payload bytes, serializer id and serializer manifest
/// exactly as Akka's serialization produced them, plus the envelope fields of the
/// <see cref="Persistent"/> (sequence number, timestamp, writer, event adapter manifest, tags).
/// Layout (little endian): version 1 | seq i64 | timestamp i64 | serializer id i32 |
/// serializer manifest | event manifest | writer guid | tag count i32, tags | payload length i32, payload;
/// strings are i32 length + UTF-8.
/// </summary>
internal sealed record StoredEvent(
    long SequenceNr,
    long Timestamp,
    int SerializerId,
    string SerializerManifest,
    string EventManifest,
    string WriterGuid,
    IReadOnlyList<string> Tags,
    byte[] Payload)
{
    private const byte Version = 1;

    public byte[] Encode()
    {
        var size = 1 + 8 + 8 + 4 + Size(SerializerManifest) + Size(EventManifest) + Size(WriterGuid) + 4 + Tags.Sum(Size) + 4 + Payload.Length;
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        span[0] = Version;
        var at = 1;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], SequenceNr); at += 8;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], Timestamp); at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], SerializerId); at += 4;
        at = Write(span, at, SerializerManifest);
        at = Write(span, at, EventManifest);
        at = Write(span, at, WriterGuid);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], Tags.Count); at += 4;
        foreach (var tag in Tags) at = Write(span, at, tag);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], Payload.Length); at += 4;
        Payload.CopyTo(span[at..]);
        return buffer;
    }

    /// <summary>The sequence number alone, without decoding the rest (replay paging).</summary>
    public static long SequenceNrOf(ReadOnlySpan<byte> encoded) => BinaryPrimitives.ReadInt64LittleEndian(encoded[1..]);

    public static StoredEvent Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 21 || data[0] != Version)
            throw new FormatException($"not a HEAN journal entry (version byte {(data.Length > 0 ? data[0] : -1)}, {data.Length} bytes)");
        var at = 1;
        var seq = BinaryPrimitives.ReadInt64LittleEndian(data[at..]); at += 8;
        var timestamp = BinaryPrimitives.ReadInt64LittleEndian(data[at..]); at += 8;
        var serializerId = BinaryPrimitives.ReadInt32LittleEndian(data[at..]); at += 4;
        var serializerManifest = Read(data, ref at);
        var eventManifest = Read(data, ref at);
        var writer = Read(data, ref at);
        var tagCount = BinaryPrimitives.ReadInt32LittleEndian(data[at..]); at += 4;
        var tags = tagCount == 0 ? [] : new string[tagCount];
        for (var i = 0; i < tagCount; i++) tags[i] = Read(data, ref at);
        var length = BinaryPrimitives.ReadInt32LittleEndian(data[at..]); at += 4;
        var payload = data.Slice(at, length).ToArray();
        return new StoredEvent(seq, timestamp, serializerId, serializerManifest, eventManifest, writer, tags, payload);
    }

    public static StoredEvent From(IPersistentRepresentation message, ActorSystem system, IReadOnlyList<string> tags, object payload)
    {
        var serializer = system.Serialization.FindSerializerFor(payload);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, payload);
        var timestamp = message.Timestamp > 0 ? message.Timestamp : DateTime.UtcNow.Ticks;
        return new StoredEvent(message.SequenceNr, timestamp, serializer.Identifier, manifest, message.Manifest ?? "",
            message.WriterGuid ?? "", tags, ToBinary(system, serializer, payload));
    }

    /// <summary>
    /// Serializes with the system's transport information set, as Akka's own journals do: an actor reference in the
    /// payload is written with the system's full address (with remoting on, another node can reach it) instead of
    /// failing with "CurrentTransportInformation was not set".
    /// </summary>
    internal static byte[] ToBinary(ActorSystem system, Akka.Serialization.Serializer serializer, object payload) =>
        Akka.Serialization.Serialization.WithTransport((ExtendedActorSystem)system, () => serializer.ToBinary(payload));

    public Persistent ToPersistent(string persistenceId, Akka.Serialization.Serialization serialization)
    {
        var payload = serialization.Deserialize(Payload, SerializerId, SerializerManifest);
        return new Persistent(payload, SequenceNr, persistenceId, EventManifest, false, ActorRefs.NoSender, WriterGuid, Timestamp);
    }

    private static int Size(string s) => 4 + Encoding.UTF8.GetByteCount(s);

    private static int Write(Span<byte> span, int at, string s)
    {
        var n = Encoding.UTF8.GetBytes(s, span[(at + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], n);
        return at + 4 + n;
    }

    private static string Read(ReadOnlySpan<byte> data, ref int at)
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        var s = Encoding.UTF8.GetString(data.Slice(at + 4, n));
        at += 4 + n;
        return s;
    }
}
