//! The demo visit: the Speaker of the Senate's day in East Kazakhstan region on
//! 25 February 2026, as reported in the press. It carries two deliberate flaws
//! so a new user sees the conflict engine at work: the transfer from the dairy
//! to the House of Friendship is shorter than the drive, and the plant's work
//! collective is larger than its meeting hall.
//!
//! Only the Speaker is named as in the report; everyone else is invented.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::catalogue::{groups, officials, participants, travel_times, unavailability, venues};
use super::programme::{meetings, visits};
use super::{Actor, Audit, AuditAction, ServiceResult};
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::model::*;

const LOADED_KEY: &str = "demo_loaded";
const DAY: &str = "2026-02-25";

#[derive(Debug, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded { visit_id: i64 },
    AlreadyLoaded,
}

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

/// An instant of the demo day, local time in Ust-Kamenogorsk (UTC+5).
fn at(hhmm: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(&format!("{DAY}T{hhmm}:00+05:00")).ok()
}

/// Loads the demo visit once; a second call changes nothing.
pub fn load(conn: &mut DbConn) -> ServiceResult<DemoOutcome> {
    let actor = Actor::system("demo");
    write_transaction(conn, |conn| {
        if repo::meta_value(conn, LOADED_KEY)?.is_some() {
            return Ok(DemoOutcome::AlreadyLoaded);
        }
        let visit_id = load_visit(conn, &actor)?;
        repo::set_meta_value(conn, LOADED_KEY, &visit_id.to_string())?;
        Audit::new("demo", Some(visit_id), AuditAction::Load, None, None)
            .in_visit(visit_id)
            .write(conn, &actor)?;
        Ok(DemoOutcome::Loaded { visit_id })
    })
}

struct People {
    speaker: i64,
    akim: i64,
    secretary: i64,
    aide: i64,
    press: i64,
}

fn load_officials(conn: &mut DbConn, actor: &Actor) -> ServiceResult<People> {
    let mut add = |full_name: &str,
                   position: &str,
                   organization: &str,
                   precedence: i32,
                   email: &str,
                   phone: &str,
                   language: &str| {
        officials::create(
            conn,
            actor,
            &OfficialInput {
                full_name: text(full_name),
                position: text(position),
                organization: text(organization),
                precedence: Some(precedence),
                email: text(email),
                phone: text(phone),
                language: text(language),
                notes: None,
            },
        )
        .map(|o| o.id)
    };
    Ok(People {
        speaker: add(
            "Ашимбаев Маулен Сагатханулы",
            "Председатель Сената",
            "Сенат Парламента Республики Казахстан",
            1,
            "speaker.office@senate.example.kz",
            "+7 7172 74 00 01",
            "ru",
        )?,
        akim: add(
            "Нуржанов Бауыржан Серикович",
            "Аким Восточно-Казахстанской области",
            "Акимат ВКО",
            5,
            "akim@vko.example.kz",
            "+7 7232 24 00 00",
            "kk",
        )?,
        secretary: add(
            "Касымова Гульнара Токтаровна",
            "Секретарь областного маслихата",
            "Маслихат ВКО",
            10,
            "maslikhat@vko.example.kz",
            "+7 7232 24 11 11",
            "ru",
        )?,
        aide: add(
            "Жумабекова Айгерим Маратовна",
            "Руководитель протокольной службы",
            "Аппарат Сената",
            20,
            "protocol@senate.example.kz",
            "+7 701 555 12 34",
            "ru",
        )?,
        press: add(
            "Оспанов Даурен Ерланович",
            "Пресс-секретарь Председателя Сената",
            "Аппарат Сената",
            30,
            "press@senate.example.kz",
            "+7 701 555 56 78",
            "kk",
        )?,
    })
}

struct Places {
    airport: i64,
    maslikhat: i64,
    university: i64,
    lab: i64,
    plant: i64,
    dairy: i64,
    friendship: i64,
    hotel: i64,
}

#[allow(clippy::too_many_arguments)]
fn venue(
    name: &str,
    kind: &str,
    address: &str,
    (latitude, longitude): (f64, f64),
    capacity: i32,
    hours: Option<(&str, &str)>,
    contact: (&str, &str, &str),
    notes: &str,
) -> VenueInput {
    VenueInput {
        name: text(name),
        kind: text(kind),
        address: text(address),
        city: text("Усть-Каменогорск"),
        latitude: Some(latitude),
        longitude: Some(longitude),
        timezone: text("Asia/Almaty"),
        capacity: Some(capacity),
        opens: hours.map(|h| h.0.to_owned()),
        closes: hours.map(|h| h.1.to_owned()),
        contact_name: text(contact.0),
        contact_phone: text(contact.1),
        contact_email: text(contact.2),
        notes: text(notes),
    }
}

fn load_venues(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Places> {
    let inputs = [
        venue("Аэропорт Усть-Каменогорск, VIP-зал", "airport", "ул. Бажова, 1", (50.0366, 82.4942), 30, None,
            ("Сейтказин Арман", "+7 7232 54 00 01", "vip@ukk-airport.example.kz"),
            "Въезд на перрон по списку, согласованному со службой авиационной безопасности. Кортеж — через ворота № 2."),
        venue("Сессионный зал маслихата Восточно-Казахстанской области", "government", "ул. Горького, 40", (49.9483, 82.6279), 150, Some(("08:00", "20:00")),
            ("Касымова Гульнара", "+7 7232 24 11 11", "maslikhat@vko.example.kz"),
            "Вход для делегации — центральный, через пост охраны; парковка кортежа во внутреннем дворе. Синхронный перевод каз./рус."),
        venue("ВКТУ им. Д. Серикбаева, актовый зал", "university", "ул. Серикбаева, 19", (49.9711, 82.6045), 400, Some(("08:00", "20:00")),
            ("Рахимов Нурлан Кайратович", "+7 7232 54 02 02", "rector@ektu.example.kz"),
            "Главный корпус, вход с ул. Серикбаева. Встречает ректор. Парковка перед главным корпусом."),
        venue("Мастерская Лу Бань, лаборатория «SMART-технологии автомобилей»", "lab", "ул. Серикбаева, 19, корпус Д", (49.9719, 82.6061), 25, Some(("09:00", "18:00")),
            ("Ли Вэй", "+7 705 111 22 33", "luban@ektu.example.kz"),
            "Фото- и видеосъемка стендов запрещена, кроме общего плана по разрешению. Не более 25 человек одновременно."),
        venue("Усть-Каменогорский титано-магниевый комбинат (УКТМК)", "plant", "ул. Промышленная, 1", (49.9242, 82.7081), 60, Some(("08:00", "18:00")),
            ("Петров Андрей Сергеевич", "+7 7232 29 00 00", "chief.engineer@uktmp.example.kz"),
            "Обязательны СИЗ: каска, защитные очки, спецобувь (выдаются на КПП-1). Фотосъемка в цехах только с разрешения службы безопасности. Инструктаж по ТБ — 10 минут."),
        venue("Корпорация «Восток-Молоко», производственный корпус", "plant", "ул. Бажова, 333", (49.9861, 82.5636), 40, Some(("08:00", "18:00")),
            ("Гончаренко Ольга Павловна", "+7 7232 70 10 10", "production@vostok-moloko.example.kz"),
            "Санитарные правила: халат, шапочка, бахилы (выдаются на входе), без украшений и часов. В цеха розлива — не более 15 человек."),
        venue("Дом дружбы Восточно-Казахстанской области", "cultural", "ул. Кирова, 49", (49.9532, 82.6151), 300, Some(("09:00", "20:00")),
            ("Ким Виктор Николаевич", "+7 7232 25 25 25", "dom.druzhby@vko.example.kz"),
            "Вход для делегации с ул. Кирова. Фойе — выставка этнокультурных объединений. Звук и свет — служба Дома дружбы."),
        venue("Гостиница «Иртыш», ресторан", "hotel", "пр. Независимости, 22", (49.9570, 82.6120), 80, Some(("07:00", "23:00")),
            ("Администратор гостиницы", "+7 7232 57 00 00", "reception@irtysh-hotel.example.kz"),
            "Отдельный зал для рабочего обеда. Меню согласовано протокольной службой."),
    ];
    let mut ids = Vec::with_capacity(inputs.len());
    for input in &inputs {
        ids.push(venues::create(conn, actor, input)?.id);
    }
    Ok(Places {
        airport: ids[0],
        maslikhat: ids[1],
        university: ids[2],
        lab: ids[3],
        plant: ids[4],
        dairy: ids[5],
        friendship: ids[6],
        hotel: ids[7],
    })
}

struct Groups {
    deputies: i64,
    public: i64,
    youth: i64,
    university: i64,
    lab: i64,
    plant: i64,
    dairy: i64,
}

fn load_groups(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Groups> {
    let mut person =
        |full_name: &str, organization: &str, email: &str, phone: &str, language: &str| {
            participants::create(
                conn,
                actor,
                &ParticipantInput {
                    full_name: text(full_name),
                    email: text(email),
                    phone: text(phone),
                    organization: text(organization),
                    position: None,
                    language: text(language),
                    group_ids: vec![],
                },
            )
            .map(|p| p.row.id)
        };
    let deputies = [
        person(
            "Ахметов Серик Болатович",
            "Маслихат ВКО",
            "s.akhmetov@maslikhat.example.kz",
            "+7 701 200 00 01",
            "ru",
        )?,
        person(
            "Иванова Елена Викторовна",
            "Усть-Каменогорский городской маслихат",
            "e.ivanova@maslikhat.example.kz",
            "+7 701 200 00 02",
            "ru",
        )?,
        person(
            "Тлеубергенова Әсем Қайратқызы",
            "Маслихат Глубоковского района",
            "a.tleubergenova@maslikhat.example.kz",
            "+7 701 200 00 03",
            "kk",
        )?,
    ];
    let public = [
        person(
            "Ким Виктор Николаевич",
            "Ассоциация корейцев ВКО",
            "v.kim@dom-druzhby.example.kz",
            "+7 701 300 00 01",
            "ru",
        )?,
        person(
            "Шмидт Анна Ивановна",
            "Немецкий культурный центр «Видергебурт»",
            "a.schmidt@wiedergeburt.example.kz",
            "+7 701 300 00 02",
            "ru",
        )?,
        person(
            "Мұхамеджанов Ғалым Өмірұлы",
            "Ассамблея народа Казахстана ВКО",
            "g.mukhamedzhanov@assembly.example.kz",
            "+7 701 300 00 03",
            "kk",
        )?,
    ];
    let youth = [
        person(
            "Серикова Дана Ерлановна",
            "Молодежный ресурсный центр ВКО",
            "d.serikova@youth.example.kz",
            "+7 701 400 00 01",
            "kk",
        )?,
        person(
            "Байжанов Алихан Маратович",
            "ВКТУ им. Д. Серикбаева, студент",
            "a.baizhanov@ektu.example.kz",
            "+7 701 400 00 02",
            "ru",
        )?,
    ];
    let university = [person(
        "Рахимов Нурлан Кайратович",
        "ВКТУ им. Д. Серикбаева, проректор",
        "n.rakhimov@ektu.example.kz",
        "+7 701 500 00 01",
        "ru",
    )?];
    let lab = [person(
        "Ли Вэй",
        "Мастерская Лу Бань, преподаватель",
        "li.wei@ektu.example.kz",
        "+7 705 111 22 33",
        "en",
    )?];
    let plant = [
        person(
            "Петров Андрей Сергеевич",
            "АО «УКТМК», главный инженер",
            "a.petrov@uktmp.example.kz",
            "+7 701 600 00 01",
            "ru",
        )?,
        person(
            "Омарова Жанар Бекболатовна",
            "АО «УКТМК», председатель профкома",
            "zh.omarova@uktmp.example.kz",
            "+7 701 600 00 02",
            "kk",
        )?,
    ];
    let dairy = [person(
        "Гончаренко Ольга Павловна",
        "ТОО «Корпорация Восток-Молоко», директор по производству",
        "o.goncharenko@vostok-moloko.example.kz",
        "+7 701 700 00 01",
        "ru",
    )?];

    let mut group = |name: &str, description: &str, headcount: i32, members: &[i64]| {
        groups::create(
            conn,
            actor,
            &GroupInput {
                name: text(name),
                description: text(description),
                headcount: Some(headcount),
                contact_participant_id: members.first().copied(),
                participant_ids: members.to_vec(),
            },
        )
        .map(|g| g.row.id)
    };
    Ok(Groups {
        deputies: group("Депутаты маслихатов ВКО", "Депутаты областного, городских и районных маслихатов", 120, &deputies)?,
        public: group("Общественность и этнокультурные объединения", "Представители общественных организаций и этнокультурных объединений, Ассамблея народа Казахстана", 150, &public)?,
        youth: group("Активная молодежь", "Лидеры молодежных организаций, студенты, волонтеры", 100, &youth)?,
        university: group("Коллектив ВКТУ им. Д. Серикбаева", "Профессорско-преподавательский состав и сотрудники", 250, &university)?,
        lab: group("Студенты мастерской Лу Бань", "Учебная группа лаборатории «SMART-технологии автомобилей»", 15, &lab)?,
        // Larger than the plant's hall on purpose: the demo's capacity warning.
        plant: group("Трудовой коллектив УКТМК", "Инженеры, мастера и рабочие титано-магниевого производства", 80, &plant)?,
        dairy: group("Трудовой коллектив «Восток-Молоко»", "Технологи и работники производства", 30, &dairy)?,
    })
}

fn load_visit(conn: &mut DbConn, actor: &Actor) -> ServiceResult<i64> {
    let o = load_officials(conn, actor)?;
    let v = load_venues(conn, actor)?;
    let g = load_groups(conn, actor)?;

    let day = NaiveDate::from_ymd_opt(2026, 2, 25);
    let visit = visits::create(
        conn,
        actor,
        &VisitInput {
            title: text("Рабочая поездка Председателя Сената в Восточно-Казахстанскую область"),
            theme: text("«Новая Конституция – прочная основа долгосрочного развития»: приоритеты реформ Главы государства, ключевые нормы новой Конституции, совместная работа по реализации поручений Президента"),
            region: text("Восточно-Казахстанская область"),
            timezone: text("Asia/Almaty"),
            first_day: day,
            last_day: day,
            official_ids: vec![o.speaker, o.akim, o.secretary, o.aide, o.press],
            lead_official_id: Some(o.speaker),
            status: text("draft"),
        },
    )?;
    let visit_id = visit.row.id;

    for (from, to, minutes) in [
        (v.airport, v.maslikhat, 25),
        (v.maslikhat, v.university, 15),
        (v.university, v.lab, 5),
        (v.lab, v.hotel, 15),
        (v.hotel, v.plant, 25),
        (v.plant, v.dairy, 30),
        // Across the river and through the centre at rush hour.
        (v.dairy, v.friendship, 25),
        (v.friendship, v.airport, 30),
    ] {
        travel_times::put(
            conn,
            actor,
            &TravelTimeInput {
                from_venue_id: Some(from),
                to_venue_id: Some(to),
                minutes: Some(minutes),
            },
        )?;
    }

    let delegation = vec![o.speaker, o.aide, o.press];
    let roles = |host: Option<i64>| -> BTreeMap<i64, String> {
        host.map(|h| BTreeMap::from([(h, "host".to_owned())]))
            .unwrap_or_default()
    };
    let with = |extra: &[i64]| -> Vec<i64> {
        let mut ids = delegation.clone();
        ids.extend_from_slice(extra);
        ids
    };
    #[allow(clippy::type_complexity)]
    let programme: Vec<(&str, &str, &str, &str, i64, Vec<i64>, Option<i64>, Vec<i64>, &str, &str, &str, &str)> = vec![
        ("ceremony", "Прибытие в Усть-Каменогорск. Встреча в аэропорту", "08:30", "08:50", v.airport,
            with(&[o.akim]), Some(o.akim), vec![],
            "Встречают: аким области, секретарь маслихата.",
            "Протокольная служба акимата ВКО",
            "Кортеж: 3 автомобиля, ГАИ сопровождение. Встречающие — у трапа.", "Деловой"),
        ("meeting", "Встреча с депутатами маслихатов области", "09:30", "10:45", v.maslikhat,
            with(&[o.akim, o.secretary]), Some(o.secretary), vec![g.deputies],
            "1. Вступительное слово секретаря маслихата.\n2. Выступление Председателя Сената: конституционная реформа и задачи маслихатов.\n3. Вопросы депутатов.",
            "Аппарат маслихата ВКО",
            "Синхронный перевод каз./рус. Места в президиуме: Председатель Сената, аким, секретарь маслихата.", "Деловой"),
        ("meeting", "Встреча с коллективом ВКТУ им. Д. Серикбаева", "11:10", "12:00", v.university,
            with(&[o.akim]), None, vec![g.university, g.youth],
            "Наука и образование в реализации новой Конституции; Клуб экспертов и Школа аналитики при Сенате.",
            "Ректорат ВКТУ",
            "Встречает ректор у главного входа. Микрофоны в зале — 4.", "Деловой"),
        ("site_visit", "Ознакомление с лабораторией «SMART-технологии автомобилей» мастерской Лу Бань", "12:15", "12:45", v.lab,
            delegation.clone(), None, vec![g.lab],
            "Демонстрация учебных стендов, беседа со студентами.",
            "Мастерская Лу Бань",
            "Группа не более 25 человек; пресса — только общий план.", "Деловой"),
        ("meal", "Рабочий обед", "13:15", "14:00", v.hotel,
            with(&[o.akim]), Some(o.akim), vec![],
            "", "Протокольная служба акимата ВКО",
            "Рассадка по карточкам. Без прессы.", "Деловой"),
        ("site_visit", "Посещение Усть-Каменогорского титано-магниевого комбината, встреча с трудовым коллективом", "14:35", "15:45", v.plant,
            with(&[o.akim]), Some(o.akim), vec![g.plant],
            "Осмотр цеха производства титановой губки; экологическая модернизация; встреча с коллективом.",
            "АО «УКТМК»",
            "СИЗ выдаются на КПП-1. Инструктаж по ТБ — 10 минут до начала.", "Деловой, СИЗ поверх одежды"),
        ("site_visit", "Посещение корпорации «Восток-Молоко»", "16:25", "17:15", v.dairy,
            delegation.clone(), None, vec![g.dairy],
            "Осмотр линии розлива, встреча с работниками.",
            "ТОО «Корпорация Восток-Молоко»",
            "Санитарная одежда на входе.", "Деловой"),
        // Fifteen minutes after the dairy, but the drive takes 25: the demo's travel-time error.
        ("meeting", "Встреча с общественностью, представителями этнокультурных объединений и активной молодежью", "17:30", "19:00", v.friendship,
            with(&[o.akim]), Some(o.akim), vec![g.public, g.youth],
            "Конституционные изменения и роль молодежи; концепция «Адал Азамат».",
            "Управление внутренней политики ВКО",
            "Синхронный перевод. Выставка этнокультурных объединений в фойе.", "Деловой"),
        ("press", "Подход к прессе", "19:00", "19:15", v.friendship,
            vec![o.speaker, o.press], None, vec![],
            "Итоги поездки.", "Пресс-служба Сената",
            "Аккредитованные СМИ, фойе Дома дружбы.", "Деловой"),
        ("ceremony", "Отъезд. Проводы в аэропорту", "19:55", "20:15", v.airport,
            with(&[o.akim]), Some(o.akim), vec![],
            "", "Протокольная служба акимата ВКО",
            "Вылет спецрейсом в Астану.", "Деловой"),
    ];

    for (
        kind,
        title,
        starts,
        ends,
        venue_id,
        official_ids,
        host,
        group_ids,
        agenda,
        responsible,
        logistics,
        dress,
    ) in programme
    {
        meetings::create(
            conn,
            actor,
            visit_id,
            &MeetingInput {
                title: text(title),
                kind: text(kind),
                starts_at: at(starts),
                ends_at: at(ends),
                venue_id: Some(venue_id),
                official_ids,
                official_roles: roles(host),
                group_ids,
                participant_ids: vec![],
                responsible: text(responsible),
                agenda: Some(agenda.to_owned()).filter(|a| !a.is_empty()),
                briefing_notes: None,
                logistics: text(logistics),
                dress_code: text(dress),
                status: text("confirmed"),
                version: None,
            },
        )?;
    }

    // The Senate sits the next morning: the Speaker cannot stay over.
    unavailability::create(
        conn,
        actor,
        &UnavailabilityInput {
            official_id: Some(o.speaker),
            venue_id: None,
            starts_at: DateTime::parse_from_rfc3339("2026-02-26T09:00:00+05:00").ok(),
            ends_at: DateTime::parse_from_rfc3339("2026-02-26T13:00:00+05:00").ok(),
            reason: text("Пленарное заседание Сената"),
        },
    )?;
    unavailability::create(
        conn,
        actor,
        &UnavailabilityInput {
            official_id: None,
            venue_id: Some(v.dairy),
            starts_at: DateTime::parse_from_rfc3339("2026-02-27T08:00:00+05:00").ok(),
            ends_at: DateTime::parse_from_rfc3339("2026-02-27T18:00:00+05:00").ok(),
            reason: text("Санитарный день"),
        },
    )?;

    Ok(visit_id)
}
