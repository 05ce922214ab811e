#include "collect/net_parse.hpp"

#include <gtest/gtest.h>

using namespace vigil::collect;

TEST(NetParse, HexAddresses_DecodeInHostOrder) {
  EXPECT_EQ(decode_hex_address("0100007F", false), "127.0.0.1");
  EXPECT_EQ(decode_hex_address("00000000", false), "0.0.0.0");
  EXPECT_EQ(decode_hex_address("00000000000000000000000001000000", true), "::1");
  EXPECT_EQ(decode_hex_address("0000000000000000FFFF00000100007F", true), "::ffff:127.0.0.1");
  EXPECT_EQ(decode_hex_address("XYZ", false), "");
  EXPECT_EQ(decode_hex_address("0100007", false), "");
}

TEST(NetParse, TcpTable_ListenAndEstablished) {
  auto p = parse_proc_net_inet(
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
      "inode\n"
      "   0: 0100007F:0D15 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
      "12345 1 0\n"
      "   1: 0100007F:A000 0100007F:0D15 01 00000000:00000000 00:00000000 00000000  1000        0 "
      "12346 1 0\n",
      false);
  ASSERT_TRUE(p.errors.empty());
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].local_port, 3349);
  EXPECT_EQ(p.rows[0].state, 10);
  EXPECT_EQ(p.rows[0].inode, 12345u);
  EXPECT_EQ(p.rows[1].remote_port, 3349);
  EXPECT_EQ(p.rows[1].uid, 1000);
  EXPECT_EQ(tcp_state_name(p.rows[1].state), "ESTABLISHED");
}

TEST(NetParse, MalformedLines_AreCountedWithTheirLineNumber) {
  auto p = parse_proc_net_inet(
      "header\n   0: garbage\n   1: 0100007F:0D15 00000000:0000 0A 0 0 0 0 0 77\n", false);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].line, 2u);
  EXPECT_EQ(p.rows.size(), 1u);
}

TEST(NetParse, PacketSockets) {
  auto p = parse_proc_net_packet(
      "sk       RefCnt Type Proto  Iface R Rmem   User   Inode\n"
      "ffff8881 3      3    0003   2     1 0      0      4242\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].protocol, 3);
  EXPECT_EQ(p.rows[0].ifindex, 2);
  EXPECT_EQ(p.rows[0].inode, 4242u);
}
