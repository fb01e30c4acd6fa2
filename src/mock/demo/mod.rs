//! The demo operation: twelve skills and ten agents of a mid-sized contact center (what
//! [`MockWolkvox::start_demo`](crate::mock::MockWolkvox::start_demo) serves in real time), and how
//! it is staffed (shifts, which agents take which skills, activity codes, campaigns), from
//! which the history and the catalogues are generated.
//!
//! | module | holds |
//! |---|---|
//! | `mod.rs` | the skills, agents, staffing, activity codes and campaigns of the operation |
//! | `history` | the calls of any day, generated deterministically |
//! | `reports`, `agent_report` | the historical reports computed from those calls |
//! | `catalogue` | the `information.php` catalogues and the audit log |
//! | `campaigns` | the two outbound campaigns and their records |
//! | `dates` | the calendar of the wire (on [`jiff::civil`]) |
//! | `format` | values and real-time rows as the live service writes them |

mod agent_report;
pub(in crate::mock) mod campaigns;
pub(in crate::mock) mod catalogue;
pub(in crate::mock) mod dates;
pub(in crate::mock) mod extra;
pub(in crate::mock) mod format;
pub(in crate::mock) mod history;
pub(in crate::mock) mod reports;

use std::time::Duration;

use crate::{AgentRealtime, SkillRealtime};

/// The operation's inbound line (`destiny` of inbound calls).
pub(in crate::mock) const INBOUND_LINE: &str = "6015551234";
/// The outbound campaign the agents dial for.
pub(in crate::mock) const OUTBOUND_CAMPAIGN: u32 = 7;
/// The operation's name (`description` of `token_info`).
pub(in crate::mock) const OPERATION: &str = "OPERACION DEMO";

/// The kind of work a skill is: every agent takes service calls, some agents also sales or
/// collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::mock) enum Group {
    Service,
    Sales,
    Collections,
}

/// The group of a demo skill.
pub(in crate::mock) fn group(skill_id: u32) -> Group {
    match skill_id {
        102 | 105 | 301 | 302 => Group::Sales,
        201 | 202 => Group::Collections,
        _ => Group::Service,
    }
}

/// How a demo agent works: document number, shift (hours of the day, end excluded), and the
/// groups taken besides service.
#[derive(Debug, Clone, Copy)]
pub(in crate::mock) struct Staff {
    pub(in crate::mock) id: u32,
    pub(in crate::mock) dni: &'static str,
    pub(in crate::mock) shift: (i64, i64),
    pub(in crate::mock) sales: bool,
    pub(in crate::mock) collections: bool,
}

impl Staff {
    /// Whether the agent takes calls of `group`.
    pub(in crate::mock) fn takes(&self, group: Group) -> bool {
        match group {
            Group::Service => true,
            Group::Sales => self.sales,
            Group::Collections => self.collections,
        }
    }

    /// Whether the agent's shift covers `hour` (0..24).
    pub(in crate::mock) fn on_shift(&self, hour: i64) -> bool {
        (self.shift.0..self.shift.1).contains(&hour)
    }
}

/// The staffing of [`demo_agents`], in the same order. Three overlapping shifts cover
/// 06:00 to 22:00, and every group has an agent on shift at every hour of it.
pub(in crate::mock) const STAFF: [Staff; 10] = [
    staff(1001, "79123456", (6, 14), true, false),
    staff(1002, "1032456789", (6, 14), false, true),
    staff(1003, "52987654", (6, 14), true, false),
    staff(1004, "80456123", (6, 14), false, true),
    staff(1005, "1018234567", (10, 18), true, false),
    staff(1006, "71654987", (10, 18), false, true),
    staff(1007, "43876512", (10, 18), true, false),
    staff(1008, "1020765432", (14, 22), true, false),
    staff(1009, "39512876", (14, 22), false, true),
    staff(1010, "1015987321", (14, 22), true, true),
];

const fn staff(
    id: u32,
    dni: &'static str,
    shift: (i64, i64),
    sales: bool,
    collections: bool,
) -> Staff {
    Staff {
        id,
        dni,
        shift,
        sales,
        collections,
    }
}

/// The hours the operation has agents: calls outside them end in the IVR (abandoned).
pub(in crate::mock) const OPEN_HOURS: (i64, i64) = (6, 22);

/// An activity code (`cod_act`) agents close calls with.
#[derive(Debug, Clone, Copy)]
pub(in crate::mock) struct ActivityCode {
    pub(in crate::mock) code: &'static str,
    pub(in crate::mock) description: &'static str,
    pub(in crate::mock) hit: bool,
    pub(in crate::mock) rpc: bool,
    /// How often agents pick it, relative to the others.
    pub(in crate::mock) weight: u64,
}

/// The operation's activity codes.
pub(in crate::mock) const ACTIVITY_CODES: [ActivityCode; 6] = [
    code("1", "SOLUCIONADO", true, true, 40),
    code("2", "ESCALADO SEGUNDO NIVEL", false, true, 15),
    code("3", "VOLVER A LLAMAR", false, true, 10),
    code("4", "VENTA CERRADA", true, true, 8),
    code("5", "INFORMACION GENERAL", true, true, 20),
    code("6", "CLIENTE NO TITULAR", false, false, 7),
];

const fn code(
    code: &'static str,
    description: &'static str,
    hit: bool,
    rpc: bool,
    weight: u64,
) -> ActivityCode {
    ActivityCode {
        code,
        description,
        hit,
        rpc,
        weight,
    }
}

/// The operation's campaigns: id, name, type, status.
pub(in crate::mock) const CAMPAIGNS: [(u32, &str, &str, &str); 2] = [
    (
        OUTBOUND_CAMPAIGN,
        "RECUPERACION_CARTERA",
        "PREDICTIVE",
        "ACTIVE",
    ),
    (8, "ENCUESTA_SATISFACCION", "PREVIEW", "INACTIVE"),
];

/// A realistic operation: twelve skills of a mid-sized contact center in mid-afternoon, with
/// varied queues, volumes and service levels (answered + abandoned = inbound; abandon % and
/// service levels consistent with them). Used by `cargo run --example demo`.
pub fn demo_skills() -> Vec<SkillRealtime> {
    /// id, name, queue, inbound, abandoned, SL10, SL20, SL30
    type Figures = (u32, &'static str, u32, u32, u32, f64, f64, f64);
    const SKILLS: [Figures; 12] = [
        (101, "SOPORTE_TECNICO", 3, 412, 35, 61.27, 78.52, 86.41),
        (102, "VENTAS", 0, 268, 9, 82.09, 91.42, 95.15),
        (103, "SERVICIO_AL_CLIENTE", 7, 936, 118, 44.87, 63.25, 74.36),
        (104, "FACTURACION", 1, 187, 11, 70.59, 84.49, 90.37),
        (105, "RETENCION", 0, 94, 2, 88.30, 95.74, 97.87),
        (106, "POSTVENTA", 2, 151, 14, 58.94, 76.16, 84.11),
        (107, "PQRS", 4, 233, 41, 36.91, 52.36, 66.09),
        (108, "MESA_DE_AYUDA_TI", 0, 76, 3, 75.00, 88.16, 93.42),
        (201, "COBRANZAS", 5, 358, 57, 40.22, 55.03, 71.23),
        (202, "COBRANZAS_PREJURIDICO", 0, 42, 1, 85.71, 92.86, 97.62),
        (301, "CAMPANA_NAVIDAD", 12, 1204, 231, 22.84, 38.62, 51.33),
        (302, "AGENDAMIENTO_CITAS", 1, 319, 19, 66.46, 81.19, 88.71),
    ];
    SKILLS
        .iter()
        .map(|&(id, name, queue, inbound, abandoned, sl10, sl20, sl30)| {
            let mut skill = SkillRealtime::new(id, name);
            skill.calls_in_queue_now = queue;
            skill.stat_inbound = inbound;
            skill.stat_abandon = abandoned;
            skill.stat_answer = inbound - abandoned;
            skill.service_level_10seg = sl10;
            skill.service_level_20seg = sl20;
            skill.service_level_30seg = sl30;
            skill.by_abandon =
                (f64::from(abandoned) * 10_000.0 / f64::from(inbound)).round() / 100.0;
            skill
        })
        .collect()
}

/// Ten logged-in agents of the [`demo_skills`] operation in mid-afternoon, in varied states
/// (on calls, ready, in after-call work, on aux reasons such as lunch or training), with times
/// that add up: the state times sum to the login time, and occupancy is the share of the
/// logged-in time spent ringing, on calls and in after-call work.
pub fn demo_agents() -> Vec<AgentRealtime> {
    use crate::AgentStatus::{self, Acw, Inbound, Other, Outbound, Ready, Ring};
    /// id, name, state, seconds in state, inbound calls, outbound calls, minutes on inbound,
    /// on outbound, in ACW, ringing, in aux, ready
    type Shift = (u32, &'static str, AgentStatus, u64, u32, u32, [u64; 6]);
    let shifts: [Shift; 10] = [
        (
            1001,
            "Laura Gomez",
            Inbound,
            184,
            41,
            3,
            [212, 9, 38, 6, 45, 61],
        ),
        (
            1002,
            "Carlos Ramirez",
            Ready,
            37,
            36,
            0,
            [188, 0, 41, 5, 50, 79],
        ),
        (
            1003,
            "Valentina Torres",
            Acw,
            52,
            29,
            6,
            [161, 22, 47, 4, 62, 81],
        ),
        (
            1004,
            "Andres Castillo",
            Outbound,
            311,
            4,
            47,
            [18, 196, 35, 3, 48, 60],
        ),
        (
            1005,
            "Mariana Lopez",
            Other("Almuerzo".into()),
            1_412,
            33,
            1,
            [176, 4, 30, 5, 71, 54],
        ),
        (
            1006,
            "Juan Pablo Rios",
            Ring,
            6,
            38,
            2,
            [203, 7, 33, 6, 44, 47],
        ),
        (
            1007,
            "Daniela Moreno",
            Inbound,
            745,
            44,
            0,
            [229, 0, 36, 7, 39, 49],
        ),
        (
            1008,
            "Santiago Herrera",
            Other("Capacitacion".into()),
            2_630,
            18,
            0,
            [97, 0, 21, 3, 128, 31],
        ),
        (
            1009,
            "Camila Vargas",
            Ready,
            12,
            40,
            5,
            [198, 15, 40, 6, 37, 64],
        ),
        (
            1010,
            "Felipe Ortiz",
            Acw,
            95,
            31,
            12,
            [149, 51, 44, 5, 53, 58],
        ),
    ];
    shifts
        .into_iter()
        .map(|(id, name, status, in_state, inbound, outbound, minutes)| {
            let [on_in, on_out, acw, ring, aux, ready] =
                minutes.map(|m| Duration::from_secs(m * 60));
            let login = on_in + on_out + acw + ring + aux + ready;
            let calls = inbound + outbound;
            let mut agent = AgentRealtime::new(id, name);
            agent.agent_status = status;
            agent.time_state_now = Duration::from_secs(in_state);
            agent.calls = calls;
            agent.inbound = inbound;
            agent.outbound = outbound;
            agent.internal = id % 3;
            agent.inbound_time = on_in;
            agent.outbound_time = on_out;
            agent.acw_time = acw;
            agent.ring_time = ring;
            agent.aux_time = aux;
            agent.ready_time = ready;
            agent.login_time = login;
            agent.aht_time =
                Duration::from_secs((on_in + on_out + acw).as_secs() / u64::from(calls.max(1)));
            let busy = (on_in + on_out + acw + ring).as_secs_f64();
            agent.occupancy = (busy * 10_000.0 / login.as_secs_f64()).round() / 100.0;
            agent
        })
        .collect()
}
