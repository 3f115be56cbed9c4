#include "net/admission.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace uitweg::net {
namespace {

TEST(AdmissionTest, CapsConnectionsPerClient) {
  auto admission_owner = Admission::Create(100, 2);
  Admission& admission = *admission_owner;
  std::vector<Admission::Ticket> held;
  held.push_back(admission.Admit("a").value());
  held.push_back(admission.Admit("a").value());
  const auto third = admission.Admit("a");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::Errc::resource_exhausted);
  EXPECT_GT(third.error().retry_after_seconds, 0);
  EXPECT_TRUE(admission.Admit("b"));
  held.pop_back();
  EXPECT_TRUE(admission.Admit("a")) << "a closed connection frees its place";
}

TEST(AdmissionTest, CapsConnectionsInTotal) {
  auto admission_owner = Admission::Create(2, 0);
  Admission& admission = *admission_owner;
  auto first = admission.Admit("a").value();
  auto second = admission.Admit("b").value();
  const auto third = admission.Admit("c");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::Errc::unavailable);
  EXPECT_EQ(admission.open(), 2u);
}

TEST(AdmissionTest, TicketsFreeTheirPlaceOnceEvenWhenMoved) {
  auto admission_owner = Admission::Create(1, 1);
  Admission& admission = *admission_owner;
  {
    std::vector<Admission::Ticket> tickets;
    tickets.push_back(admission.Admit("a").value());
    Admission::Ticket moved = std::move(tickets.back());
    tickets.clear();
    EXPECT_EQ(admission.open(), 1u);
  }
  EXPECT_EQ(admission.open(), 0u);
  EXPECT_TRUE(admission.Admit("a"));
}

TEST(AdmissionTest, TicketsOutliveTheirServer) {
  auto admission = Admission::Create(1, 1);
  auto ticket = admission->Admit("a").value();
  admission.reset();
}

TEST(AdmissionTest, ZeroMeansNoCap) {
  auto admission_owner = Admission::Create(0, 0);
  Admission& admission = *admission_owner;
  std::vector<Admission::Ticket> held;
  for (int i = 0; i < 1000; ++i) held.push_back(admission.Admit("a").value());
  EXPECT_EQ(admission.open(), 1000u);
}

}  // namespace
}  // namespace uitweg::net
